#include "backup/backup_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "backup/backup_format.h"
#include "common/temp_dir.h"
#include "jobs/archive.h"

namespace atg::backup {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

void Spit(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

class BackupArchiveTest : public ::testing::Test {
 protected:
  // Two parts with `n` records each; returns the archive's path.
  std::string Write(int n, Manifest m = {}) {
    auto w = ArchiveWriter::Create(dir_.path());
    EXPECT_TRUE(w.ok());
    auto a = (*w)->AddPart("tenants/t1/nodes.ndjson");
    auto b = (*w)->AddPart("tenants/t1/edges.ndjson");
    EXPECT_TRUE(a.ok() && b.ok());
    for (int i = 0; i < n; ++i) {
      // Interleaved: parts are independent files until Finish.
      EXPECT_TRUE((*a)->WriteLine("{\"n\":" + std::to_string(i) + "}").ok());
      EXPECT_TRUE((*b)->WriteLine(std::string(100, 'a' + i % 26)).ok());
    }
    m.created_at = "2025-01-01T00:00:00Z";
    const std::string path = dir_.path() + "/b.tar.zst";
    auto f = (*w)->Finish(m, path);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_GT(f->bytes, 0u);
    EXPECT_EQ(f->sha256.size(), 64u);
    return path;
  }

  TempDir dir_;
};

TEST_F(BackupArchiveTest, RoundTripsPartsInOrderWithTheirChecksums) {
  const std::string path = Write(5000);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // The staging directory is gone with the writer; only the archive is left.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
  auto r = ArchiveReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Manifest& m = (*r)->manifest();
  EXPECT_EQ(m.format_version, kFormatVersion);
  ASSERT_EQ(m.parts.size(), 2u);
  EXPECT_EQ(m.parts[0].records, 5000);
  auto part = (*r)->NextPart();
  ASSERT_TRUE(part.ok() && part->has_value());
  EXPECT_EQ(**part, "tenants/t1/nodes.ndjson");
  int i = 0;
  ASSERT_TRUE((*r)->ForEachLine([&](std::string_view line) {
                    EXPECT_EQ(line, "{\"n\":" + std::to_string(i++) + "}");
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(i, 5000);
  // The second part is skipped unread and still checked.
  part = (*r)->NextPart();
  ASSERT_TRUE(part.ok() && part->has_value());
  part = (*r)->NextPart();
  ASSERT_TRUE(part.ok());
  EXPECT_FALSE(part->has_value());
  EXPECT_TRUE(VerifyArchive(path).ok());
}

TEST_F(BackupArchiveTest, RetriedPartStartsAgainFromEmpty) {
  auto w = ArchiveWriter::Create(dir_.path());
  ASSERT_TRUE(w.ok());
  auto a = (*w)->AddPart("p");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->WriteLine("first try").ok());
  ASSERT_TRUE((*a)->Reset().ok());
  ASSERT_TRUE((*a)->WriteLine("second try").ok());
  ASSERT_TRUE((*w)->Finish({}, dir_.path() + "/x.tar.zst").ok());
  auto r = ArchiveReader::Open(dir_.path() + "/x.tar.zst");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE((*r)->NextPart().ok());
  std::vector<std::string> lines;
  ASSERT_TRUE((*r)->ForEachLine([&](std::string_view l) {
                    lines.emplace_back(l);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(lines, std::vector<std::string>{"second try"});
}

TEST_F(BackupArchiveTest, TruncatedFileIsDamaged) {
  const std::string path = Write(20000);
  std::string bytes = Slurp(path);
  for (size_t keep : {bytes.size() / 2, bytes.size() - 10, size_t{100}}) {
    Spit(path, bytes.substr(0, keep));
    auto v = VerifyArchive(path);
    ASSERT_FALSE(v.ok()) << keep;
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << keep;
    EXPECT_NE(v.status().message().find(path), std::string::npos) << v.status().message();
  }
}

TEST_F(BackupArchiveTest, FlippedByteIsDamaged) {
  const std::string path = Write(20000);
  const std::string bytes = Slurp(path);
  int caught = 0;
  for (size_t at : {bytes.size() / 3, bytes.size() / 2, bytes.size() * 3 / 4}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x20);
    Spit(path, bad);
    auto v = VerifyArchive(path);
    if (!v.ok()) ++caught;
    EXPECT_FALSE(v.ok()) << "a flipped byte at " << at << " went unnoticed";
  }
  EXPECT_EQ(caught, 3);
}

// A tar.zst of the given entries, in order, made without ArchiveWriter: how a forged or
// hand-edited archive looks.
void WriteTarZst(const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& entries) {
  archive* a = archive_write_new();
  archive_write_add_filter_zstd(a);
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, content] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

TEST_F(BackupArchiveTest, PartsThatDoNotMatchTheManifestAreDamaged) {
  const std::string path = Write(10);
  auto r = ArchiveReader::Open(path);
  ASSERT_TRUE(r.ok());
  const std::string manifest = PrettyJson(ManifestToJson((*r)->manifest()));
  std::string nodes, edges;
  for (int i = 0; i < 10; ++i) {
    nodes += "{\"n\":" + std::to_string(i) + "}\n";
    edges += std::string(100, 'a' + i % 26) + "\n";
  }
  const std::string p = dir_.path() + "/forged.tar.zst";
  WriteTarZst(p, {{"manifest.json", manifest},
                  {"tenants/t1/nodes.ndjson", nodes},
                  {"tenants/t1/edges.ndjson", edges}});
  ASSERT_TRUE(VerifyArchive(p).ok()) << "the hand-made copy of a good archive is good";
  std::string changed = nodes;
  changed[changed.find("\"n\":3")] = 'm';  // same length, other bytes: only the digest can tell
  WriteTarZst(p, {{"manifest.json", manifest},
                  {"tenants/t1/nodes.ndjson", changed},
                  {"tenants/t1/edges.ndjson", edges}});
  auto v = VerifyArchive(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("SHA-256"), std::string::npos) << v.status().message();
  WriteTarZst(p, {{"manifest.json", manifest}, {"tenants/t1/nodes.ndjson", nodes}});
  v = VerifyArchive(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("ends before tenants/t1/edges.ndjson"), std::string::npos)
      << v.status().message();
  WriteTarZst(p, {{"manifest.json", manifest},
                  {"tenants/t1/nodes.ndjson", nodes},
                  {"tenants/t1/edges.ndjson", edges},
                  {"extra.txt", "x"}});
  v = VerifyArchive(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("does not list"), std::string::npos) << v.status().message();
  WriteTarZst(p, {{"manifest.json", manifest},
                  {"tenants/t1/edges.ndjson", edges},
                  {"tenants/t1/nodes.ndjson", nodes}});
  EXPECT_FALSE(VerifyArchive(p).ok());
  WriteTarZst(p, {{"tenants/t1/nodes.ndjson", nodes}, {"manifest.json", manifest}});
  v = VerifyArchive(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("not an atg backup"), std::string::npos);
}

TEST_F(BackupArchiveTest, NotABackupAndNewerVersionsAreRefusedClearly) {
  // A tar.gz of something else.
  fs::create_directories(dir_.path() + "/src");
  Spit(dir_.path() + "/src/readme.txt", "hello");
  ASSERT_TRUE(jobs::CreateTarGz(dir_.path() + "/src", dir_.path() + "/other.tar.gz").ok());
  auto r = ArchiveReader::Open(dir_.path() + "/other.tar.gz");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not an atg backup"), std::string::npos)
      << r.status().message();
  // Plain text.
  Spit(dir_.path() + "/text.tar.zst", "just some text\n");
  r = ArchiveReader::Open(dir_.path() + "/text.tar.zst");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not an atg backup"), std::string::npos);
  // Missing.
  r = ArchiveReader::Open(dir_.path() + "/nope.tar.zst");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  // A newer format: its own error, which names both versions.
  Manifest m;
  m.format_version = kFormatVersion + 1;
  const std::string newer = Write(3, m);
  r = ArchiveReader::Open(newer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("newer atg"), std::string::npos) << r.status().message();
}

TEST(BackupFormatTest, RecordsRoundTripExactly) {
  graph::NodeVersion n;
  n.node.key = "/subscriptions/s/resourcegroups/rg";
  n.node.label = "ResourceGroup";
  n.node.properties = R"({"a": 1.0, "b":"\u00e9\n"})";  // kept byte for byte
  n.since = 3;
  n.until = 0;
  auto back = NodeVersionFromLine(NodeVersionToLine(n));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->node, n.node);
  EXPECT_EQ(back->since, 3);
  EXPECT_EQ(back->until, 0);
  EXPECT_NE(NodeVersionToLine(n).find("\"until\":null"), std::string::npos);
  graph::EdgeVersion e{graph::Edge{"/a", "/b", "USES", ""}, 2, 5};
  auto eb = EdgeVersionFromLine(EdgeVersionToLine(e));
  ASSERT_TRUE(eb.ok());
  EXPECT_EQ(eb->edge, e.edge);
  EXPECT_EQ(eb->until, 5);
  graph::ScanRecord s{7, json::object{{"tenant_id", "t"}}, "2025-01-01T00:00:00Z",
                      "2025-01-01T00:01:00Z", json::object{{"nodes_written", 3}}};
  auto sb = ScanRecordFromLine(ScanRecordToLine(s));
  ASSERT_TRUE(sb.ok());
  EXPECT_EQ(sb->gen, 7);
  EXPECT_EQ(sb->scope, s.scope);
  EXPECT_FALSE(NodeVersionFromLine("{\"key\":\"x\"}").ok());
  EXPECT_FALSE(NodeVersionFromLine("not json").ok());
  EXPECT_FALSE(EdgeVersionFromLine("{}").ok());
}

TEST(BackupFormatTest, ManifestRoundTrip) {
  Manifest m;
  m.atg_version = "1.2.3";
  m.created_at = "2025-01-01T00:00:00Z";
  m.graph_store = "sqlite";
  m.tenants.push_back({"t1", 2, 9, 10, 20, 12, 25});
  m.jobs = JobsInfo{"redis", "azure_blob", 3, 30, 2};
  m.parts.push_back({"tenants/t1/scans.ndjson", 10, std::string(64, 'a'), 2});
  auto back = ManifestFromJson(json::value(ManifestToJson(m)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->tenants[0].current_scan, 9);
  EXPECT_EQ(back->jobs->job_store, "redis");
  EXPECT_EQ(back->parts[0].records, 2);
  EXPECT_EQ(ManifestFromJson(json::value(json::object{{"format", "zip"}})).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace atg::backup
