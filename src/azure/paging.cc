#include "azure/paging.h"

#include "azure/http_transport.h"

namespace atg::azure {

namespace {

// Follows `link_field` from page to page.
Result<PagingStats> FollowLinks(AzureHttpClient& client, const std::string& first_url,
                                std::string_view link_field, std::string_view protocol,
                                const PageCallback& on_page, std::stop_token stop,
                                const HttpHeaders& headers) {
  PagingStats stats;
  std::string url = first_url;
  while (true) {
    const int page_number = stats.pages + 1;
    auto context = [&] {
      return std::string(protocol) + " list " + RedactUrl(first_url) + ", page " +
             std::to_string(page_number);
    };
    AzureRequest request;
    request.url = url;
    request.headers = headers;
    auto response = client.Send(request, stop);
    if (!response.ok()) return response.status().WithContext(context());
    auto page = ParseJson(response->body);
    if (!page.ok()) return page.status().WithContext(context() + ": the body is not JSON");
    if (!page->is_object()) {
      return Status::Internal(context() + ": the response is not a JSON object");
    }
    const json::object& obj = page->as_object();
    static const json::array kEmpty;
    const json::array* items = FindArray(&obj, "value");
    if (items == nullptr && Find(&obj, "value") != nullptr) {
      return Status::Internal(context() + ": \"value\" is not an array");
    }
    if (items == nullptr) items = &kEmpty;
    ++stats.pages;
    stats.items += static_cast<int64_t>(items->size());
    if (!on_page(*items, obj)) return stats;
    std::optional<std::string_view> next = FindString(&obj, link_field);
    if (!next || next->empty()) return stats;
    if (*next == url) {
      return Status::Internal(context() + ": " + std::string(link_field) +
                              " points at the page just read; stopping to avoid a loop");
    }
    url = std::string(*next);
  }
}

}  // namespace

Result<PagingStats> ForEachArmPage(AzureHttpClient& client, const std::string& url,
                                   const PageCallback& on_page, std::stop_token stop,
                                   const HttpHeaders& headers) {
  return FollowLinks(client, url, "nextLink", "ARM", on_page, stop, headers);
}

Result<PagingStats> ForEachGraphPage(AzureHttpClient& client, const std::string& url,
                                     const PageCallback& on_page, std::stop_token stop,
                                     const HttpHeaders& headers) {
  return FollowLinks(client, url, "@odata.nextLink", "Microsoft Graph", on_page, stop, headers);
}

Result<PagingStats> ForEachResourceGraphPage(AzureHttpClient& client, const std::string& url,
                                             json::object request, const PageCallback& on_page,
                                             std::stop_token stop, int top) {
  PagingStats stats;
  json::value& options_value = request["options"];
  if (!options_value.is_object()) options_value = json::object();
  json::object& options = options_value.as_object();
  if (!options.contains("$top")) options["$top"] = top;
  options["resultFormat"] = "objectArray";
  std::string previous_token;
  if (auto t = FindString(&options, "$skipToken")) previous_token = std::string(*t);
  while (true) {
    const int page_number = stats.pages + 1;
    auto context = [&] {
      return "Resource Graph query at " + RedactUrl(url) + ", page " + std::to_string(page_number);
    };
    auto page = client.PostJson(url, request, stop);
    if (!page.ok()) return page.status().WithContext(context());
    if (!page->is_object()) {
      return Status::Internal(context() + ": the response is not a JSON object");
    }
    const json::object& obj = page->as_object();
    const json::array* items = FindArray(&obj, "data");
    if (items == nullptr) {
      return Status::Internal(context() +
                              ": the response has no \"data\" array (objectArray result format)");
    }
    ++stats.pages;
    stats.items += static_cast<int64_t>(items->size());
    if (!on_page(*items, obj)) return stats;
    std::optional<std::string_view> token = FindString(&obj, "$skipToken");
    if (!token || token->empty()) return stats;
    if (*token == previous_token) {
      return Status::Internal(context() +
                              ": $skipToken repeats the previous one; stopping to avoid a loop");
    }
    previous_token = std::string(*token);
    options["$skipToken"] = previous_token;
  }
}

}  // namespace atg::azure
