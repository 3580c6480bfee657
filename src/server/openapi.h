// The OpenAPI 3.0 document of `atg serve` (GET /openapi.json), built from the route table in
// server/endpoints.h so it always describes the routes the server registers.
//
// Thread-safety: pure functions of immutable data.
#ifndef ATG_SERVER_OPENAPI_H_
#define ATG_SERVER_OPENAPI_H_

#include <string>

#include "common/json.h"

namespace atg::server {

// The document: info (title, version = ATG_VERSION), a server entry for `server_url` (omitted
// when empty), one path item per endpoint, components (schemas, headers, securitySchemes with
// bearer auth), and for each operation its parameters, request body, responses (every response
// has X-Request-ID) and security.
json::object BuildOpenApiDocument(const std::string& server_url = "");

// The document serialized once (cached); for the /openapi.json handler.
const std::string& OpenApiJson();

// A small HTML page that lists the endpoints of the document (for GET /docs; no scripts, no
// external resources).
std::string ApiDocsHtml();

}  // namespace atg::server

#endif  // ATG_SERVER_OPENAPI_H_
