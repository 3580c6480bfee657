// The directory part of the generator: users, application service principals and groups
// (with nested membership), in the shapes of the Microsoft Graph v1.0 responses.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/strings.h"
#include "sim/generator_impl.h"

namespace atg::sim::gen {
namespace {

constexpr const char* kFirst[] = {
    "Adele",  "Alex",   "Allan",  "Diego",  "Emily", "Grady",   "Henrietta", "Isaiah",  "Johanna",
    "Joni",   "Lee",    "Lidia",  "Lynne",  "Megan", "Miriam",  "Nestor",    "Patti",   "Pradeep",
    "Amara",  "Bao",    "Carlos", "Dmitri", "Elena", "Fatima",  "Gustav",    "Hana",    "Ivan",
    "Jamal",  "Kenji",  "Laila",  "Mateo",  "Nadia", "Omar",    "Priya",     "Quentin", "Rosa",
    "Sanjay", "Tomasz", "Uma",    "Victor", "Wei",   "Ximena",  "Yusuf",     "Zara",    "Aiko",
    "Bjorn",  "Chloe",  "Dara",   "Eitan",  "Farah", "Gabriel", "Hiro",      "Ines",    "Jonas"};
constexpr const char* kLast[] = {
    "Vance",     "Wilber",  "Deyoung",  "Soto",     "Braun",    "Archie", "Gonzalez", "Langer",
    "Lauer",     "Sherman", "Gu",       "Holloway", "Robinson", "Bowen",  "Graham",   "Kirk",
    "Fernandez", "Gupta",   "Okafor",   "Nguyen",   "Silva",    "Petrov", "Rossi",    "Haddad",
    "Lindqvist", "Sato",    "Kowalski", "Mensah",   "Tanaka",   "Moreau", "Novak",    "Chen",
    "Ibrahim",   "Larsen",  "Costa",    "Muller",   "Singh",    "Kim",    "Hughes",   "Dubois",
    "Alvarez",   "Schmidt", "Yilmaz",   "Nakamura", "Ortiz",    "Berg",   "Walsh",    "Romero"};
constexpr const char* kJobs[] = {"Software Engineer",
                                 "Product Manager",
                                 "Cloud Architect",
                                 "Data Scientist",
                                 "SRE",
                                 "Security Analyst",
                                 "Retail Manager",
                                 "Marketing Assistant",
                                 "Accountant",
                                 "Sales Representative"};
constexpr const char* kDepartments[] = {"Engineering", "Finance",  "Sales", "Marketing",
                                        "Operations",  "Security", "HR",    "Legal"};
constexpr const char* kOrgs[] = {"contoso", "fabrikam", "northwind", "tailspin", "woodgrove",
                                 "adatum",  "litware",  "proseware", "wingtip",  "fourthcoffee"};

}  // namespace

void Builder::Directory() {
  Rng rng(Mix(opt_.seed, 1));
  domain_ =
      std::string(Pick(rng, kOrgs)) + std::to_string(1000 + rng.Below(9000)) + ".onmicrosoft.com";
  std::unordered_map<std::string, int> upn_count;
  t_.users.reserve(static_cast<size_t>(opt_.users));
  for (int i = 0; i < opt_.users; ++i) {
    std::string first = Pick(rng, kFirst);
    std::string last = Pick(rng, kLast);
    std::string base = ToLower(first) + "." + ToLower(last);
    int n = upn_count[base]++;
    if (n > 0) base += std::to_string(n);
    bool guest = rng.Percent(4);
    json::object u;
    u["id"] = rng.Guid();
    u["displayName"] = first + " " + last;
    u["givenName"] = first;
    u["surname"] = last;
    if (guest) {
      u["userPrincipalName"] = base + "_fabrikam.com#EXT#@" + domain_;
      u["mail"] = base + "@fabrikam.com";
      u["userType"] = "Guest";
      u["jobTitle"] = nullptr;
      u["department"] = nullptr;
    } else {
      u["userPrincipalName"] = base + "@" + domain_;
      u["mail"] = base + "@" + domain_;
      u["userType"] = "Member";
      u["jobTitle"] = Pick(rng, kJobs);
      u["department"] = Pick(rng, kDepartments);
    }
    u["accountEnabled"] = rng.Percent(95);
    u["businessPhones"] = json::array{"+1 425 555 0" + std::to_string(100 + rng.Below(900))};
    u["mobilePhone"] = nullptr;
    u["officeLocation"] =
        std::to_string(1 + rng.Below(40)) + "/" + std::to_string(1000 + rng.Below(2000));
    u["preferredLanguage"] = "en-US";
    u["createdDateTime"] = rng.Timestamp().substr(0, 19) + "Z";
    users_.push_back({std::string(u["id"].as_string()), "User"});
    t_.users.emplace_back(std::move(u));
  }

  int apps = opt_.service_principals >= 0 ? opt_.service_principals : std::max(5, opt_.users / 50);
  struct FirstParty {
    const char* app_id;
    const char* name;
  };
  static constexpr FirstParty kFirstParty[] = {
      {"00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
      {"cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault"},
      {"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"}};
  for (int i = 0; i < apps; ++i) {
    json::object sp;
    std::string id = rng.Guid();
    sp["id"] = id;
    bool first_party = static_cast<size_t>(i) < std::size(kFirstParty);
    std::string app_id = first_party ? kFirstParty[i].app_id : rng.Guid();
    std::string name = first_party
                           ? kFirstParty[i].name
                           : std::string("sp-") + Pick(rng, kApps) + "-" +
                                 (rng.Percent(50) ? "cicd" : "api") + "-" + std::to_string(i);
    sp["appId"] = app_id;
    sp["displayName"] = name;
    sp["appDisplayName"] = name;
    sp["servicePrincipalType"] = "Application";
    sp["accountEnabled"] = true;
    sp["appOwnerOrganizationId"] =
        first_party ? "f8cdef31-a31e-4b4a-93e4-5f571e91255a" : t_.tenant_id;
    sp["appRoleAssignmentRequired"] = false;
    sp["alternativeNames"] = json::array();
    sp["servicePrincipalNames"] =
        first_party ? json::array{app_id} : json::array{app_id, "api://" + ToLower(name)};
    sp["signInAudience"] = first_party ? "AzureADMultipleOrgs" : "AzureADMyOrg";
    sp["tags"] = json::array{"WindowsAzureActiveDirectoryIntegratedApp"};
    sp["createdDateTime"] = rng.Timestamp().substr(0, 19) + "Z";
    apps_.push_back({id, "ServicePrincipal"});
    t_.service_principals.emplace_back(std::move(sp));
  }

  // Group ids first, so a group can contain groups that come after it (never before: no cycles).
  std::vector<std::string> group_ids;
  group_ids.reserve(static_cast<size_t>(opt_.groups));
  for (int i = 0; i < opt_.groups; ++i) group_ids.push_back(rng.Guid());
  static constexpr const char* kRolesInTeam[] = {"developers", "admins", "readers",
                                                 "operators",  "owners", "analysts"};
  for (int i = 0; i < opt_.groups; ++i) {
    json::object g;
    g["id"] = group_ids[static_cast<size_t>(i)];
    bool m365 = rng.Percent(25);
    std::string app = Pick(rng, kApps);
    std::string nick;
    if (m365) {
      std::string title = app;
      title[0] = static_cast<char>(title[0] - 'a' + 'A');
      g["displayName"] = title + " Team " + std::to_string(i);
      nick = app + "team" + std::to_string(i);
      g["description"] = "Collaboration space for the " + app + " team";
      g["mail"] = nick + "@" + domain_;
      g["mailEnabled"] = true;
      g["securityEnabled"] = false;
      g["groupTypes"] = json::array{"Unified"};
      g["visibility"] = rng.Percent(70) ? "Private" : "Public";
    } else {
      std::string role = Pick(rng, kRolesInTeam);
      g["displayName"] = "sg-" + app + "-" + role + "-" + std::to_string(i);
      nick = "sg-" + app + "-" + role + "-" + std::to_string(i);
      g["description"] = "Security group: " + app + " " + role;
      g["mail"] = nullptr;
      g["mailEnabled"] = false;
      g["securityEnabled"] = true;
      g["groupTypes"] = json::array();
      g["visibility"] = nullptr;
    }
    g["mailNickname"] = nick;
    g["isAssignableToRole"] = false;
    g["createdDateTime"] = rng.Timestamp().substr(0, 19) + "Z";
    json::array members;
    std::unordered_set<size_t> seen;
    if (!users_.empty()) {
      int k = rng.Range(1, static_cast<int>(std::min<size_t>(40, users_.size())));
      for (int j = 0; j < k; ++j) {
        size_t u = rng.Below(users_.size());
        if (seen.insert(u).second) members.emplace_back(users_[u].id);
      }
    }
    if (i + 1 < opt_.groups && rng.Percent(15)) {
      int k = rng.Range(1, 2);
      std::unordered_set<size_t> nested;
      for (int j = 0; j < k; ++j) {
        size_t n =
            static_cast<size_t>(i + 1) + rng.Below(static_cast<uint64_t>(opt_.groups - i - 1));
        if (nested.insert(n).second) members.emplace_back(group_ids[n]);
      }
    }
    if (!apps_.empty() && rng.Percent(5)) {
      members.emplace_back(apps_[rng.Below(apps_.size())].id);
    }
    g["members"] = std::move(members);
    groups_.push_back({group_ids[static_cast<size_t>(i)], "Group"});
    t_.groups.emplace_back(std::move(g));
  }
}

}  // namespace atg::sim::gen
