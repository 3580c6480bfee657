// Throughput of the whole simulator (token validation, throttling bookkeeping, routing, the ARM
// handler) serving single-resource GETs, measured with wrk on loopback.
//
//   sim_serve_bench [seconds=10] [connections=64] [io_threads=2] [resources=100000]
//
// Generates a tenant, starts the simulator on an ephemeral port with throttling off, gets a
// bearer token with the client secret, writes a wrk Lua script that rotates through the ids of
// every top-level resource, runs `wrk -t2 -c<connections> -d<seconds>s --latency`, and prints
// wrk's report and a one-line summary. Target on a 2-core machine: >= 20,000 requests/s.
#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>

#include "common/arm_id.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "sim/catalog.h"
#include "sim/simulator.h"

namespace {

bool OnPath(const std::string& program) {
  std::string cmd = "command -v " + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string FetchToken(const atg::sim::Simulator& sim) {
  const auto& c = sim.credentials();
  std::string url = sim.base_url() + "/" + c.tenant_id + "/oauth2/v2.0/token";
  std::string form = "grant_type=client_credentials&client_id=" + c.client_id +
                     "&client_secret=" + atg::UrlEncode(c.client_secret) +
                     "&scope=" + atg::UrlEncode("https://management.azure.com/.default");
  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  auto parsed = atg::ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) return "";
  return std::string(atg::FindString(&parsed->as_object(), "access_token").value_or(""));
}

// Lua string literal for `s` (ids hold no quotes or backslashes, but be safe).
std::string LuaString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 64;
  int io_threads = argc > 3 ? std::atoi(argv[3]) : 2;
  int resources = argc > 4 ? std::atoi(argv[4]) : 100000;
  if (seconds < 1 || seconds > 120 || connections < 1 || io_threads < 1 || resources < 1) {
    std::cerr << "usage: sim_serve_bench [seconds 1..120] [connections] [io_threads] "
                 "[resources]\n";
    return 2;
  }
  if (!OnPath("wrk")) {
    std::cerr << "wrk is not on PATH; install it (Debian: apt-get install wrk) to run this "
                 "benchmark\n";
    return 0;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);

  atg::sim::SimulatorOptions options;
  options.io_threads = io_threads;
  options.throttle = atg::sim::ThrottleMode::kOff;
  options.generator.seed = 1;
  options.generator.subscriptions = 10;
  options.generator.resources = resources;
  options.generator.users = 1000;
  auto t0 = std::chrono::steady_clock::now();
  auto created = atg::sim::Simulator::Create(options);
  if (!created.ok()) {
    std::cerr << "cannot create the simulator: " << created.status().ToString() << "\n";
    return 1;
  }
  atg::sim::Simulator& sim = **created;
  if (atg::Status s = sim.Start(); !s.ok()) {
    std::cerr << "cannot start the simulator: " << s.ToString() << "\n";
    return 1;
  }
  double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string token = FetchToken(sim);
  if (token.empty()) {
    std::cerr << "could not get a token from the simulator\n";
    return 1;
  }

  // Every top-level resource, GET with the api-version its type's catalog entry names.
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("atg-sim-serve-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::path script = dir / "rotate.lua";
  size_t paths = 0;
  {
    std::ofstream lua(script);
    lua << "local paths = {\n";
    for (const auto& v : sim.tenant().resources) {
      const auto& o = v.as_object();
      std::string_view id = o.at("id").as_string();
      std::string_view type = o.at("type").as_string();
      auto parsed = atg::ParseArmId(id);
      const atg::sim::ResourceTypeInfo* info = atg::sim::FindResourceType(type);
      if (!parsed.ok() || !parsed->parent().empty() || parsed->is_extension() || !info ||
          info->extension || info->api_versions.empty())
        continue;
      lua << LuaString(std::string(id) + "?api-version=" + info->api_versions[0]) << ",\n";
      ++paths;
    }
    lua << "}\n"
           "local n = #paths\n"
           "local i = 0\n"
           "wrk.headers[\"Authorization\"] = \"Bearer "
        << token
        << "\"\n"
           "function setup(thread) thread:set(\"start\", math.random(1, n)) end\n"
           "function init(args) i = start or 0 end\n"
           "function request()\n"
           "  i = i % n + 1\n"
           "  return wrk.format(\"GET\", paths[i])\n"
           "end\n";
  }

  const std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" +
                          std::to_string(seconds) + "s --latency -s " + script.string() + " " +
                          sim.base_url() + " 2>&1";
  std::cerr << "running: wrk -t2 -c" << connections << " -d" << seconds << "s over " << paths
            << " resource ids\n";
  std::string report = Run(cmd);
  sim.Stop();
  std::filesystem::remove_all(dir);
  // wrk echoes nothing of the script, but keep the token out of what we print regardless.
  std::cout << atg::RedactSecrets(report);

  std::smatch m;
  std::string rps =
      std::regex_search(report, m, std::regex(R"(Requests/sec:\s+([0-9.]+))")) ? m[1].str() : "?";
  std::string p99 =
      std::regex_search(report, m, std::regex(R"(99%\s+([0-9.]+\w+))")) ? m[1].str() : "?";
  std::string non2xx =
      std::regex_search(report, m, std::regex(R"(Non-2xx or 3xx responses:\s+([0-9]+))"))
          ? m[1].str()
          : "0";
  std::cout << "summary: resources=" << sim.tenant().resources.size() << " paths=" << paths
            << " io_threads=" << io_threads << " connections=" << connections
            << " setup_seconds=" << setup << " requests_per_second=" << rps
            << " latency_p99=" << p99 << " non_2xx=" << non2xx << "\n";
  return rps == "?" || non2xx != "0" ? 1 : 0;
}
