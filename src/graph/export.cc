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
  return Status::InvalidArgument("unknown export format '" + std::string(name) +
                                 "'; use json, ndjson or graphml");
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

Result<ExportCounts> ExportGraph(GraphStore& store, ExportFormat format, std::ostream& out) {
  ExportCounts counts;
  Status s;
  switch (format) {
    case ExportFormat::kJson: {
      out << "{\"tenant_id\":" << json::serialize(json::value(store.tenant_id()))
          << ",\n\"nodes\":[";
      s = store.ForEachNode({}, [&](Node&& n) {
        out << (counts.nodes++ == 0 ? "\n" : ",\n");
        WriteNode(out, n, false);
        return out ? Status::Ok() : StreamError();
      });
      if (!s.ok()) return s;
      out << "\n],\n\"edges\":[";
      s = store.ForEachEdge({}, [&](Edge&& e) {
        out << (counts.edges++ == 0 ? "\n" : ",\n");
        WriteEdge(out, e, false);
        return out ? Status::Ok() : StreamError();
      });
      if (!s.ok()) return s;
      out << "\n]}\n";
      break;
    }
    case ExportFormat::kNdjson: {
      s = store.ForEachNode({}, [&](Node&& n) {
        WriteNode(out, n, true);
        out << '\n';
        ++counts.nodes;
        return out ? Status::Ok() : StreamError();
      });
      if (!s.ok()) return s;
      s = store.ForEachEdge({}, [&](Edge&& e) {
        WriteEdge(out, e, true);
        out << '\n';
        ++counts.edges;
        return out ? Status::Ok() : StreamError();
      });
      if (!s.ok()) return s;
      break;
    }
    case ExportFormat::kGraphml: {
      out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
             "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
      for (const char* k : {"label", "type", "name", "original_id", "subscription_id",
                            "resource_group", "location", "properties"}) {
        out << "  <key id=\"n_" << k << "\" for=\"node\" attr.name=\"" << k
            << "\" attr.type=\"string\"/>\n";
      }
      out << "  <key id=\"e_type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
             "  <key id=\"e_properties\" for=\"edge\" attr.name=\"properties\" "
             "attr.type=\"string\"/>\n"
             "  <graph id=\"";
      XmlEscape(out, store.tenant_id());
      out << "\" edgedefault=\"directed\">\n";
      s = store.ForEachNode({}, [&](Node&& n) {
        out << "    <node id=\"";
        XmlEscape(out, n.key);
        out << "\">\n";
        GraphmlData(out, "n_label", n.label);
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
      });
      if (!s.ok()) return s;
      s = store.ForEachEdge({}, [&](Edge&& e) {
        out << "    <edge id=\"e" << counts.edges++ << "\" source=\"";
        XmlEscape(out, e.from);
        out << "\" target=\"";
        XmlEscape(out, e.to);
        out << "\">\n";
        GraphmlData(out, "e_type", e.type);
        GraphmlData(out, "e_properties", e.properties);
        out << "    </edge>\n";
        return out ? Status::Ok() : StreamError();
      });
      if (!s.ok()) return s;
      out << "  </graph>\n</graphml>\n";
      break;
    }
  }
  out.flush();
  if (!out) return StreamError();
  return counts;
}

}  // namespace atg::graph
