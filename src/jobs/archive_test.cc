#include "jobs/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "jobs/digest.h"

namespace atg::jobs {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// An entry of a hand-made (possibly hostile) archive.
struct RawEntry {
  std::string name;
  mode_t type = AE_IFREG;
  std::string content = {};
  std::string link;           // symlink target
  std::string hardlink;       // hard link target
  int64_t claimed_size = -1;  // header size when it differs from content
};

void WriteRaw(const fs::path& out, const std::vector<RawEntry>& entries) {
  archive* a = archive_write_new();
  archive_write_add_filter_gzip(a);
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_filetype(entry, e.type);
    archive_entry_set_perm(entry, 0644);
    if (!e.link.empty()) archive_entry_set_symlink(entry, e.link.c_str());
    if (!e.hardlink.empty()) archive_entry_set_hardlink(entry, e.hardlink.c_str());
    archive_entry_set_size(entry, e.content.size());
    archive_write_header(a, entry);
    if (!e.content.empty()) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("atg-archive-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path MakeOutput(const std::string& name) {
    fs::path d = root_ / name;
    WriteFile(d / "main.tf", "resource \"x\" \"y\" {}\n");
    WriteFile(d / "modules/net/vnet.tf", std::string(200000, 'v'));
    WriteFile(d / "b.json", "{}");
    WriteFile(d / "a/z.txt", "z");
    fs::create_directories(d / "empty");
    WriteFile(d / "run.sh", "#!/bin/sh\n");
    fs::permissions(d / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
    fs::create_symlink("modules/net/vnet.tf", d / "link.tf");
    return d;
  }

  fs::path root_;
};

TEST_F(ArchiveTest, RoundTripsContentAndReportsTheDigest) {
  fs::path src = MakeOutput("out");
  fs::path tgz = root_ / "out.tar.gz";
  auto info = CreateTarGz(src.string(), tgz.string());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, fs::file_size(tgz));
  EXPECT_EQ(info->sha256, Sha256FileHex(tgz.string()).value());
  EXPECT_EQ(info->entries, 10u);  // 5 files, 4 dirs (a, empty, modules, modules/net), 1 link
  EXPECT_EQ(info->content_bytes, 200000u + 20 + 2 + 1 + 10);
  EXPECT_LT(info->size, 5000u);  // compressed

  fs::path dest = root_ / "extracted";
  auto x = ExtractTarGz(tgz.string(), dest.string());
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_EQ(x->entries, info->entries);
  EXPECT_EQ(x->content_bytes, info->content_bytes);
  for (const char* f : {"main.tf", "modules/net/vnet.tf", "b.json", "a/z.txt", "run.sh"}) {
    EXPECT_EQ(ReadFile(dest / f), ReadFile(src / f)) << f;
  }
  EXPECT_TRUE(fs::is_directory(dest / "empty"));
  EXPECT_TRUE(fs::is_symlink(dest / "link.tf"));
  EXPECT_EQ(ReadFile(dest / "link.tf"), ReadFile(src / "modules/net/vnet.tf"));
  EXPECT_NE(fs::status(dest / "run.sh").permissions() & fs::perms::owner_exec, fs::perms::none);

  // Extracting again over existing files is refused, not silently merged.
  auto again = ExtractTarGz(tgz.string(), dest.string());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
}

TEST_F(ArchiveTest, SameContentGivesTheSameBytes) {
  fs::path a = MakeOutput("one");
  // Different mtimes, creation order and permissions on the second copy.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  fs::path b = root_ / "two";
  fs::create_directories(b / "empty");
  fs::create_symlink("modules/net/vnet.tf", b / "link.tf");
  WriteFile(b / "run.sh", "#!/bin/sh\n");
  fs::permissions(b / "run.sh", fs::perms::owner_exec | fs::perms::group_write,
                  fs::perm_options::add);
  WriteFile(b / "a/z.txt", "z");
  WriteFile(b / "b.json", "{}");
  WriteFile(b / "modules/net/vnet.tf", std::string(200000, 'v'));
  WriteFile(b / "main.tf", "resource \"x\" \"y\" {}\n");
  auto ia = CreateTarGz(a.string(), (root_ / "a.tgz").string());
  auto ib = CreateTarGz(b.string(), (root_ / "b.tgz").string());
  ASSERT_TRUE(ia.ok() && ib.ok());
  EXPECT_EQ(ia->sha256, ib->sha256);
  EXPECT_EQ(ReadFile(root_ / "a.tgz"), ReadFile(root_ / "b.tgz"));
  // The gzip header carries no timestamp (bytes 4..7 are MTIME).
  std::string bytes = ReadFile(root_ / "a.tgz");
  ASSERT_GT(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(bytes.substr(4, 4), std::string(4, '\0'));

  WriteFile(b / "b.json", "{ }");
  auto ic = CreateTarGz(b.string(), (root_ / "c.tgz").string());
  ASSERT_TRUE(ic.ok());
  EXPECT_NE(ic->sha256, ia->sha256);
}

TEST_F(ArchiveTest, RefusesSymlinksLeavingTheDirectory) {
  fs::path d = root_ / "out";
  WriteFile(d / "ok.txt", "x");
  fs::create_symlink("/etc/passwd", d / "abs");
  auto r = CreateTarGz(d.string(), (root_ / "x.tgz").string());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("abs -> /etc/passwd"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "x.tgz"));  // no partial archive left
  fs::remove(d / "abs");
  fs::create_directories(d / "sub");
  fs::create_symlink("../../secret", d / "sub/up");
  EXPECT_EQ(CreateTarGz(d.string(), (root_ / "x.tgz").string()).status().code(),
            StatusCode::kInvalidArgument);
  fs::remove(d / "sub/up");
  fs::create_symlink("../ok.txt", d / "sub/fine");  // stays inside
  EXPECT_TRUE(CreateTarGz(d.string(), (root_ / "x.tgz").string()).ok());
  EXPECT_EQ(CreateTarGz((root_ / "missing").string(), (root_ / "y.tgz").string()).status().code(),
            StatusCode::kNotFound);
}

TEST_F(ArchiveTest, RefusesHostileArchives) {
  struct Case {
    const char* what;
    std::vector<RawEntry> entries;
  };
  std::vector<Case> cases = {
      {"absolute path", {{"/tmp/atg-evil", AE_IFREG, "x"}}},
      {"dot-dot", {{"a/../../evil", AE_IFREG, "x"}}},
      {"leading dot-dot", {{"../evil", AE_IFREG, "x"}}},
      {"absolute symlink", {{"l", AE_IFLNK, "", "/etc"}}},
      {"escaping symlink", {{"d/l", AE_IFLNK, "", "../../etc"}}},
      {"write through symlink", {{"l", AE_IFLNK, "", "."}, {"l/../../evil", AE_IFREG, "x"}}},
      {"hard link", {{"h", AE_IFREG, "", "", "/etc/passwd"}}},
      {"fifo", {{"f", AE_IFIFO}}},
      {"char device", {{"c", AE_IFCHR}}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    fs::path tgz = root_ / ("evil" + std::to_string(i) + ".tgz");
    WriteRaw(tgz, cases[i].entries);
    fs::path dest = root_ / ("dest" + std::to_string(i));
    auto r = ExtractTarGz(tgz.string(), dest.string());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << cases[i].what;
    EXPECT_FALSE(fs::exists(root_ / "evil")) << cases[i].what;
  }
  EXPECT_FALSE(fs::exists("/tmp/atg-evil"));
}

TEST_F(ArchiveTest, EnforcesSizeAndCountCaps) {
  fs::path big = root_ / "big.tgz";
  WriteRaw(big, {{"a", AE_IFREG, std::string(5000, 'a')}, {"b", AE_IFREG, std::string(5000, 'b')}});
  ExtractLimits per_entry;
  per_entry.max_entry_bytes = 4000;
  EXPECT_EQ(ExtractTarGz(big.string(), (root_ / "d1").string(), per_entry).status().code(),
            StatusCode::kInvalidArgument);
  ExtractLimits total;
  total.max_total_bytes = 8000;  // each entry fits, both do not
  auto r = ExtractTarGz(big.string(), (root_ / "d2").string(), total);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("expands beyond 8000"), std::string::npos);
  ExtractLimits count;
  count.max_entries = 1;
  EXPECT_EQ(ExtractTarGz(big.string(), (root_ / "d3").string(), count).status().code(),
            StatusCode::kInvalidArgument);
  auto all = ExtractTarGz(big.string(), (root_ / "d4").string());
  EXPECT_TRUE(all.ok()) << all.status().ToString();

  // Not an archive at all.
  WriteFile(root_ / "junk.tgz", "this is not gzip");
  EXPECT_EQ(ExtractTarGz((root_ / "junk.tgz").string(), (root_ / "d5").string()).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace atg::jobs
