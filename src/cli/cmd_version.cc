#include <curl/curl.h>
#include <openssl/opensslv.h>
#include <sqlite3.h>

#include <boost/version.hpp>
#include <cstdio>
#include <memory>

#include "cli/commands.h"

namespace atg::cli {

void AddVersionCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the version of atg and its libraries");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON object on stdout");
  cmd->callback([&ctx, json] {
    if (*json) {
      std::printf(
          "{\"version\":\"%s\",\"boost\":\"%d.%d.%d\",\"curl\":\"%s\",\"sqlite\":\"%s\","
          "\"openssl\":\"%s\"}\n",
          ATG_VERSION, BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100,
          LIBCURL_VERSION, sqlite3_libversion(), OPENSSL_VERSION_STR);
    } else {
      std::printf("atg %s (boost %d.%d.%d, curl %s, sqlite %s, openssl %s)\n", ATG_VERSION,
                  BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100,
                  LIBCURL_VERSION, sqlite3_libversion(), OPENSSL_VERSION_STR);
    }
    ctx.exit_code = 0;
  });
}

}  // namespace atg::cli
