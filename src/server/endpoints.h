// The route table of `atg serve`: every endpoint of the HTTP API with its method, path, auth,
// request schema and responses. Both the router (RegisterEndpoints) and the OpenAPI document
// (openapi.h) are built from this one table, so the published API and the served one cannot
// drift: registering fails when a handler has no endpoint or an endpoint has no handler.
//
// Schemas are JSON Schema objects in the OpenAPI 3.0 dialect; request bodies are validated
// against them with ValidateRequestBody, the same schema the document publishes, so the served
// API cannot accept what the document rejects or the other way round.
//
// Thread-safety: the table is immutable after first use; every function is thread-safe.
#ifndef ATG_SERVER_ENDPOINTS_H_
#define ATG_SERVER_ENDPOINTS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "net/http_message.h"
#include "net/router.h"

namespace atg::server {

struct ParameterSpec {
  std::string name;
  std::string in;  // "path", "query" or "header"
  bool required = false;
  std::string description;
  json::object schema;
};

struct ResponseSpec {
  int status = 200;
  std::string description;
  // Media type of the body; "" for no body.
  std::string content_type = "application/json";
  // Schema of the body: {"$ref": "#/components/schemas/X"} or an inline schema; empty = any.
  json::object schema;
  // Names of response headers (defined in components/headers: X-Request-ID, Retry-After,
  // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, ETag, Repr-Digest, Accept-Ranges,
  // Content-Range, Location). X-Request-ID is added to every response by the document builder.
  std::vector<std::string> headers;
};

struct EndpointSpec {
  std::string operation_id;  // unique; the key of the handler map ("createScan")
  std::string method;        // "GET", "POST", "DELETE"
  std::string path;          // a net::Router pattern, also the OpenAPI path ("/api/v1/jobs/{id}")
  std::string tag;
  std::string summary;
  std::string description;
  bool auth = true;  // Authorization: Bearer <key> required
  std::vector<ParameterSpec> parameters;
  // Name of the request body schema in components/schemas ("" = no body). Bodies are JSON.
  std::string request_schema;
  std::vector<ResponseSpec> responses;
};

// Every endpoint, in the order the document lists them.
const std::vector<EndpointSpec>& Endpoints();

// The endpoint with `operation_id`, or nullptr.
const EndpointSpec* FindEndpoint(std::string_view operation_id);

// components/schemas of the document: Error, Health, Job, JobAccepted, JobList, Progress,
// ScanRequest, GenerateIacRequest, JobResult.
const json::object& Schemas();

// Adds one route per endpoint to `router`, with the handler `handlers` holds for its
// operation id. kInvalidArgument when an endpoint has no handler or a handler names no
// endpoint (both listed), or when the router rejects a pattern.
Status RegisterEndpoints(net::Router& router,
                         const std::map<std::string, net::HttpHandler>& handlers);

// Why a JSON value does not conform to a schema: what a 400 answer reports.
struct SchemaViolation {
  enum class Kind {
    kUnknownField,  // an object has a member its schema does not list (additionalProperties:
                    // false); the message lists the accepted members
    kInvalidField,  // a value has the wrong type, is out of range, not in the enum, too long,
                    // or a required member is missing; the message says what it must be
    kBrokenSchema,  // the schema itself is unusable (an unknown $ref): a bug, not the caller's
  };
  Kind kind = Kind::kInvalidField;
  // Where in the checked value: "resource_limit", "subscriptions[1]", "identity_map.a"; "" for
  // the value itself.
  std::string field;
  // One sentence naming the field, e.g. "field `resource_limit` must be a non-negative integer
  // of at most 100000000; got a string" or "unknown field `subscription`; POST /api/v1/scan
  // accepts: tenant_id, subscriptions, ...". It never quotes a string value of the input.
  std::string message;
};

// Checks `body` against the endpoint's request schema: the one validator of request bodies,
// driven by the schema /openapi.json publishes. Supports the subset of JSON Schema the table
// uses: type (an integer is a number without fraction or exponent, as in OpenAPI 3.0),
// properties, required, additionalProperties, items, enum, minimum, maximum, minLength,
// maxLength, maxItems and $ref into Schemas(); `pattern` is not checked. nullopt when the body
// conforms, or when the endpoint takes no body.
std::optional<SchemaViolation> ValidateRequestBody(const EndpointSpec& endpoint,
                                                   const json::value& body);

// The same check against any schema. `name` is how messages call `value` itself ("the body").
std::optional<SchemaViolation> ValidateJson(const json::value& value, const json::object& schema,
                                            std::string_view name);

// Sets every member of `body` that the endpoint's request schema gives a "default" and the body
// lacks (top level only), so that what is stored is what will run. No-op without a schema.
void ApplyRequestDefaults(const EndpointSpec& endpoint, json::object& body);

}  // namespace atg::server

#endif  // ATG_SERVER_ENDPOINTS_H_
