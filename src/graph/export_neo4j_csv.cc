#include "graph/export_neo4j_csv.h"

#include <filesystem>
#include <fstream>

#include "common/temp_dir.h"

namespace atg::graph {
namespace {

namespace fs = std::filesystem;

// An empty field stays unquoted: neo4j-admin then sets no property, where "" would store an
// empty string.
void CsvField(std::ostream& out, std::string_view s) {
  if (s.empty()) return;
  out << '"';
  size_t plain = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"') continue;
    out.write(s.data() + plain, static_cast<std::streamsize>(i + 1 - plain));
    out << '"';
    plain = i + 1;
  }
  out.write(s.data() + plain, static_cast<std::streamsize>(s.size() - plain));
  out << '"';
}

Status WriteError(const fs::path& file) {
  return Status::IoError("writing " + file.string() + " failed (disk full or not writable)");
}

Status WriteNodes(GraphStore& store, const fs::path& file, int64_t& count) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return WriteError(file);
  out << "key:ID,:LABEL,name,type,original_id,subscription_id,resource_group,location,"
         "properties\n";
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    CsvField(out, n.key);
    for (std::string_view field :
         {std::string_view(n.label), std::string_view(n.name), std::string_view(n.type),
          std::string_view(n.original_id), std::string_view(n.subscription_id),
          std::string_view(n.resource_group), std::string_view(n.location),
          std::string_view(n.properties)}) {
      out << ',';
      CsvField(out, field);
    }
    out << '\n';
    ++count;
    return out ? Status::Ok() : WriteError(file);
  }));
  out.close();
  return out ? Status::Ok() : WriteError(file);
}

Status WriteRelationships(GraphStore& store, const fs::path& file, int64_t& count) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return WriteError(file);
  out << ":START_ID,:END_ID,:TYPE,properties\n";
  ATG_RETURN_IF_ERROR(store.ForEachEdge({}, [&](Edge&& e) {
    CsvField(out, e.from);
    out << ',';
    CsvField(out, e.to);
    out << ',';
    CsvField(out, e.type);
    out << ',';
    CsvField(out, e.properties);
    out << '\n';
    ++count;
    return out ? Status::Ok() : WriteError(file);
  }));
  out.close();
  return out ? Status::Ok() : WriteError(file);
}

}  // namespace

Result<Neo4jCsvExport> ExportNeo4jCsv(GraphStore& store, const std::string& dir) {
  const fs::path target = fs::path(dir).lexically_normal();
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec)) {
      return Status::AlreadyExists(dir + " is a file; the neo4j-csv export writes a directory");
    }
    if (!fs::is_empty(target, ec)) {
      return Status::AlreadyExists(dir +
                                   " is not empty; name a new or empty directory so that no "
                                   "file is overwritten");
    }
  }
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  auto staging = TempDir::CreateAt((parent / ".atg-export-").string());
  if (!staging.ok()) {
    return Status::IoError("cannot create a directory in " + parent.string() +
                           "; check that it exists and is writable");
  }
  Neo4jCsvExport result;
  const fs::path dir_path = staging->path();
  ATG_RETURN_IF_ERROR(WriteNodes(store, dir_path / "nodes.csv", result.counts.nodes));
  ATG_RETURN_IF_ERROR(
      WriteRelationships(store, dir_path / "relationships.csv", result.counts.edges));
  // Over an empty directory or onto a new name, both atomic. The staging directory is removed
  // by its TempDir on every path that does not move it into place.
  fs::rename(dir_path, target, ec);
  if (ec) return Status::IoError("cannot move the export into " + dir + ": " + ec.message());
  staging->Release();
  const std::string d = target.string();
  result.import_command = "neo4j-admin database import full --nodes=" + d +
                          "/nodes.csv --relationships=" + d +
                          "/relationships.csv --multiline-fields=true neo4j";
  return result;
}

}  // namespace atg::graph
