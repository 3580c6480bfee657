#include "graph/export.h"

#include "common/strings.h"

namespace atg::graph {
namespace {

json::value ParsedOrString(const std::string& text) {
  if (text.empty()) return nullptr;
  auto v = ParseJson(text);
  return v.ok() ? std::move(v.value()) : json::value(text);
}

// XML text/attribute escaping. Characters XML 1.0 forbids (most C0 controls) are written as
// U+FFFD so that any body still yields a well-formed document.
void XmlEscape(std::ostream& out, std::string_view s) {
  size_t plain = 0;  // start of the run of characters that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* rep = nullptr;
    switch (c) {
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '"':
        rep = "&quot;";
        break;
      case '\'':
        rep = "&apos;";
        break;
      case '\n':
        rep = "&#10;";
        break;
      case '\r':
        rep = "&#13;";
        break;
      case '\t':
        rep = "&#9;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) rep = "\xEF\xBF\xBD";
    }
    if (rep == nullptr) continue;
    out.write(s.data() + plain, static_cast<std::streamsize>(i - plain));
    out << rep;
    plain = i + 1;
  }
  out.write(s.data() + plain, static_cast<std::streamsize>(s.size() - plain));
}

void GraphmlData(std::ostream& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out << "      <data key=\"" << key << "\">";
  XmlEscape(out, value);
  out << "</data>\n";
}

std::string Quote(std::string_view s) { return json::serialize(json::value(json::string_view(s))); }

// The json/ndjson object of a node, with the stored properties text spliced in as is (it is
// serialized JSON already), so exporting never re-parses the bodies.
void WriteNode(std::ostream& out, const Node& n, bool with_kind) {
  out << '{';
  if (with_kind) out << "\"kind\":\"node\",";
  out << "\"key\":" << Quote(n.key) << ",\"label\":" << Quote(n.label)
      << ",\"type\":" << Quote(n.type) << ",\"name\":" << Quote(n.name)
      << ",\"original_id\":" << Quote(n.original_id)
      << ",\"subscription_id\":" << Quote(n.subscription_id)
      << ",\"resource_group\":" << Quote(n.resource_group) << ",\"location\":" << Quote(n.location)
      << ",\"properties\":" << (n.properties.empty() ? "{}" : n.properties) << '}';
}

void WriteEdge(std::ostream& out, const Edge& e, bool with_kind) {
  out << '{';
  if (with_kind) out << "\"kind\":\"edge\",";
  out << "\"from\":" << Quote(e.from) << ",\"to\":" << Quote(e.to) << ",\"type\":" << Quote(e.type);
  if (!e.properties.empty()) out << ",\"properties\":" << e.properties;
  out << '}';
}

Status StreamError() {
  return Status::IoError("writing the graph export failed (disk full or output closed)");
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  std::string n = ToLower(name);
  if (n == "json") return ExportFormat::kJson;
  if (n == "ndjson") return ExportFormat::kNdjson;
  if (n == "graphml") return ExportFormat::kGraphml;
  if (n == "dot") return ExportFormat::kDot;
  if (n == "neo4j-csv") return ExportFormat::kNeo4jCsv;
  return Status::InvalidArgument("unknown export format '" + std::string(name) +
                                 "'; use json, ndjson, graphml, dot or neo4j-csv");
}

json::object NodeToJson(const Node& n) {
  json::object o;
  o["key"] = n.key;
  o["label"] = n.label;
  o["type"] = n.type;
  o["name"] = n.name;
  o["original_id"] = n.original_id;
  o["subscription_id"] = n.subscription_id;
  o["resource_group"] = n.resource_group;
  o["location"] = n.location;
  o["properties"] = ParsedOrString(n.properties);
  return o;
}

json::object EdgeToJson(const Edge& e) {
  json::object o;
  o["from"] = e.from;
  o["to"] = e.to;
  o["type"] = e.type;
  if (!e.properties.empty()) o["properties"] = ParsedOrString(e.properties);
  return o;
}

namespace {

Status ExportJson(GraphStore& store, std::ostream& out, ExportCounts& counts) {
  out << "{\"tenant_id\":" << json::serialize(json::value(store.tenant_id())) << ",\n\"nodes\":[";
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    out << (counts.nodes++ == 0 ? "\n" : ",\n");
    WriteNode(out, n, false);
    return out ? Status::Ok() : StreamError();
  }));
  out << "\n],\n\"edges\":[";
  ATG_RETURN_IF_ERROR(store.ForEachEdge({}, [&](Edge&& e) {
    out << (counts.edges++ == 0 ? "\n" : ",\n");
    WriteEdge(out, e, false);
    return out ? Status::Ok() : StreamError();
  }));
  out << "\n]}\n";
  return Status::Ok();
}

Status ExportNdjson(GraphStore& store, std::ostream& out, ExportCounts& counts) {
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    WriteNode(out, n, true);
    out << '\n';
    ++counts.nodes;
    return out ? Status::Ok() : StreamError();
  }));
  return store.ForEachEdge({}, [&](Edge&& e) {
    WriteEdge(out, e, true);
    out << '\n';
    ++counts.edges;
    return out ? Status::Ok() : StreamError();
  });
}

// Gephi and yEd show a node's `label` attribute; the kind (our node label) and the ARM type
// get attributes of their own so that they can colour and filter by them.
Status ExportGraphml(GraphStore& store, std::ostream& out, ExportCounts& counts) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  for (const char* k : {"label", "kind", "type", "name", "original_id", "subscription_id",
                        "resource_group", "location", "properties"}) {
    out << "  <key id=\"n_" << k << "\" for=\"node\" attr.name=\"" << k
        << "\" attr.type=\"string\"/>\n";
  }
  for (const char* k : {"label", "type", "properties"}) {
    out << "  <key id=\"e_" << k << "\" for=\"edge\" attr.name=\"" << k
        << "\" attr.type=\"string\"/>\n";
  }
  out << "  <graph id=\"";
  XmlEscape(out, store.tenant_id());
  out << "\" edgedefault=\"directed\">\n";
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    out << "    <node id=\"";
    XmlEscape(out, n.key);
    out << "\">\n";
    GraphmlData(out, "n_label", DisplayName(n));
    GraphmlData(out, "n_kind", n.label);
    GraphmlData(out, "n_type", n.type);
    GraphmlData(out, "n_name", n.name);
    GraphmlData(out, "n_original_id", n.original_id);
    GraphmlData(out, "n_subscription_id", n.subscription_id);
    GraphmlData(out, "n_resource_group", n.resource_group);
    GraphmlData(out, "n_location", n.location);
    GraphmlData(out, "n_properties", n.properties);
    out << "    </node>\n";
    ++counts.nodes;
    return out ? Status::Ok() : StreamError();
  }));
  ATG_RETURN_IF_ERROR(store.ForEachEdge({}, [&](Edge&& e) {
    out << "    <edge id=\"e" << counts.edges++ << "\" source=\"";
    XmlEscape(out, e.from);
    out << "\" target=\"";
    XmlEscape(out, e.to);
    out << "\">\n";
    GraphmlData(out, "e_label", e.type);
    GraphmlData(out, "e_type", e.type);
    GraphmlData(out, "e_properties", e.properties);
    out << "    </edge>\n";
    return out ? Status::Ok() : StreamError();
  }));
  out << "  </graph>\n</graphml>\n";
  return Status::Ok();
}

// A DOT double-quoted string. Only \" is an escape in DOT itself, but Graphviz reads \\ and
// \n in labels, so backslashes are doubled and line breaks become \n.
void DotQuoted(std::ostream& out, std::string_view s) {
  out << '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        break;
      default:
        out << c;
    }
  }
  out << '"';
}

void DotAttribute(std::ostream& out, bool& first, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out << (first ? " [" : ", ") << name << '=';
  DotQuoted(out, value);
  first = false;
}

Status ExportDot(GraphStore& store, std::ostream& out, ExportCounts& counts) {
  out << "digraph ";
  DotQuoted(out, store.tenant_id());
  out << " {\n  node [shape=box];\n";
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](Node&& n) {
    out << "  ";
    DotQuoted(out, n.key);
    bool first = true;
    DotAttribute(out, first, "label", DisplayName(n));
    DotAttribute(out, first, "kind", n.label);
    DotAttribute(out, first, "type", n.type);
    DotAttribute(out, first, "subscription_id", n.subscription_id);
    DotAttribute(out, first, "resource_group", n.resource_group);
    DotAttribute(out, first, "location", n.location);
    out << (first ? ";\n" : "];\n");
    ++counts.nodes;
    return out ? Status::Ok() : StreamError();
  }));
  ATG_RETURN_IF_ERROR(store.ForEachEdge({}, [&](Edge&& e) {
    out << "  ";
    DotQuoted(out, e.from);
    out << " -> ";
    DotQuoted(out, e.to);
    bool first = true;
    DotAttribute(out, first, "label", e.type);
    out << (first ? ";\n" : "];\n");
    ++counts.edges;
    return out ? Status::Ok() : StreamError();
  }));
  out << "}\n";
  return Status::Ok();
}

}  // namespace

bool IsStreamFormat(ExportFormat format) { return format != ExportFormat::kNeo4jCsv; }

std::string_view DisplayName(const Node& node) {
  return node.name.empty() ? std::string_view(node.key) : std::string_view(node.name);
}

Result<ExportCounts> ExportGraph(GraphStore& store, ExportFormat format, std::ostream& out) {
  ExportCounts counts;
  Status s;
  switch (format) {
    case ExportFormat::kJson:
      s = ExportJson(store, out, counts);
      break;
    case ExportFormat::kNdjson:
      s = ExportNdjson(store, out, counts);
      break;
    case ExportFormat::kGraphml:
      s = ExportGraphml(store, out, counts);
      break;
    case ExportFormat::kDot:
      s = ExportDot(store, out, counts);
      break;
    case ExportFormat::kNeo4jCsv:
      return Status::InvalidArgument(
          "the neo4j-csv export is a directory of files; give it with --output DIR");
  }
  if (!s.ok()) return s;
  out.flush();
  if (!out) return StreamError();
  return counts;
}

}  // namespace atg::graph
