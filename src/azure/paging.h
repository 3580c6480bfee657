// Paging through Azure's three list protocols, one page at a time, so callers stream results
// instead of holding a whole tenant in memory:
//   ARM              GET url → {"value":[...], "nextLink":"<absolute url>"|null|absent}
//   Microsoft Graph  GET url → {"value":[...], "@odata.nextLink":"<absolute url>"}
//   Resource Graph   POST {ResourceGraph url} with {"query", "subscriptions"?, "options":
//                    {"$top", "$skipToken", "resultFormat":"objectArray"}} →
//                    {"data":[...], "$skipToken":"..."?, "totalRecords", "count"}
//
// The callback gets each page's items and the whole page object; it returns false to stop early
// (then the function returns OK). Paging stops at the first error, which is returned with the
// page number as context; pages already delivered stay delivered. A next link equal to the page
// just read (a server bug that would loop forever) is an error.
//
// Thread-safety: as AzureHttpClient; each call pages sequentially on the calling thread.
#ifndef ATG_AZURE_PAGING_H_
#define ATG_AZURE_PAGING_H_

#include <functional>
#include <stop_token>
#include <string>

#include "azure/http_client.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::azure {

using PageCallback = std::function<bool(const json::array& items, const json::object& page)>;

struct PagingStats {
  int pages = 0;
  int64_t items = 0;
};

// `headers` are sent with every page (e.g. Graph's "ConsistencyLevel: eventual").
Result<PagingStats> ForEachArmPage(AzureHttpClient& client, const std::string& url,
                                   const PageCallback& on_page, std::stop_token stop = {},
                                   const HttpHeaders& headers = {});

Result<PagingStats> ForEachGraphPage(AzureHttpClient& client, const std::string& url,
                                     const PageCallback& on_page, std::stop_token stop = {},
                                     const HttpHeaders& headers = {});

// `url` is the Resource Graph resources URL, e.g.
// {arm}/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01. `request` holds at
// least "query" (and "subscriptions" or "managementGroups" when needed); its "options" are kept
// and "$top" (default `top`), "$skipToken" and "resultFormat" are set by the pager.
Result<PagingStats> ForEachResourceGraphPage(AzureHttpClient& client, const std::string& url,
                                             json::object request, const PageCallback& on_page,
                                             std::stop_token stop = {}, int top = 1000);

}  // namespace atg::azure

#endif  // ATG_AZURE_PAGING_H_
