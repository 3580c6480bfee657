#include "server/service.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "common/data_dir.h"
#include "common/log.h"
#include "common/strings.h"
#include "jobs/archive.h"
#include "jobs/artifact_store.h"
#include "jobs/job_retention.h"
#include "jobs/job_runner.h"
#include "net/http_server.h"
#include "server/api.h"
#include "server/health.h"
#include "server/metrics.h"

namespace atg::server {

struct Service::Impl {
  net::ServerOptions server_options;
  std::shared_ptr<jobs::JobStore> store;
  std::shared_ptr<ApiKeyRing> keys;
  std::shared_ptr<ServiceMetrics> metrics = std::make_shared<ServiceMetrics>();
  std::unique_ptr<Api> api;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<HealthChecker> health;
  std::shared_ptr<jobs::ArtifactStore> artifacts;
  std::unique_ptr<jobs::ArtifactSweeper> sweeper;
  std::unique_ptr<jobs::JobObserver> observer;
  std::unique_ptr<jobs::JobRunner> runner;  // null when ATG_MAX_CONCURRENT_JOBS=0
  std::unique_ptr<jobs::JobPurger> purger;  // null when ATG_JOB_RETENTION_DAYS=0
  jobs::JobPurgerOptions retention;
  bool shut_down = false;
};

namespace {

// Feeds the runner's measurements into the metrics registry.
class MetricsObserver : public jobs::JobObserver {
 public:
  explicit MetricsObserver(std::shared_ptr<ServiceMetrics> m) : m_(std::move(m)) {}
  void OnJobFinished(const jobs::Job& job, jobs::JobState state, std::string_view error_type,
                     double seconds) override {
    m_->RecordJob(job.type, seconds,
                  state == jobs::JobState::kCompleted
                      ? std::string_view()
                      : (error_type.empty() ? std::string_view("unknown") : error_type));
  }
  void OnActiveWorkers(int active) override { m_->active_workers->Set(active); }

 private:
  std::shared_ptr<ServiceMetrics> m_;
};

// The connection limits and timeouts of docs/configuration.md: ATG_MAX_CONNECTIONS,
// ATG_MAX_CONNECTIONS_PER_ADDRESS, ATG_IDLE_TIMEOUT_SECONDS, ATG_MAX_INFLIGHT_BODY_BYTES.
Status ReadConnectionLimits(const Settings& settings, net::ServerOptions* so) {
  auto max = settings.GetInt("ATG_MAX_CONNECTIONS", 4096, 16, 1'000'000);
  if (!max.ok()) return max.status();
  so->max_connections = static_cast<size_t>(*max);
  so->reserved_connections = so->max_connections / 8;
  auto per_address = settings.GetInt("ATG_MAX_CONNECTIONS_PER_ADDRESS", 256, 0, 1'000'000);
  if (!per_address.ok()) return per_address.status();
  so->max_connections_per_address = static_cast<size_t>(*per_address);
  auto idle = settings.GetInt("ATG_IDLE_TIMEOUT_SECONDS", 30, 1, 3600);
  if (!idle.ok()) return idle.status();
  so->idle_timeout = std::chrono::seconds(*idle);
  auto inflight = settings.GetInt("ATG_MAX_INFLIGHT_BODY_BYTES", 64 << 20, 0, int64_t{16} << 30);
  if (!inflight.ok()) return inflight.status();
  if (*inflight > 0 && static_cast<uint64_t>(*inflight) < so->max_body_bytes) {
    return Status::InvalidArgument(
        "ATG_MAX_INFLIGHT_BODY_BYTES (" + std::to_string(*inflight) +
        ") is below ATG_MAX_REQUEST_BODY_BYTES (" + std::to_string(so->max_body_bytes) +
        "), so a request of the largest allowed size could never be received; raise it or "
        "set 0 for no budget");
  }
  so->max_inflight_body_bytes = static_cast<uint64_t>(*inflight);
  return Status::Ok();
}

// Job requests, graphs and artifacts describe a whole tenant: a data directory other users can
// read is worth a warning (atg serve creates its own 0700, but an existing one stays as it is).
void WarnIfDataDirIsShared(const Settings& settings) {
  auto dir = DataDir(settings);
  if (!dir.ok()) return;
  struct stat st {};
  if (::stat(dir->c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
  Log(LogLevel::kWarning,
      "the data directory is accessible to other users; restrict it with chmod 700",
      {{"path", *dir}, {"mode", mode}});
}

// The HTTP core's counters (connection limits at work) as metrics, read at each scrape.
void RegisterConnectionMetrics(Registry& registry, const net::HttpServer* http) {
  auto one = [http](uint64_t net::ServerStats::*field) {
    return [http, field] {
      return std::vector<CollectedSample>{{{}, static_cast<double>(http->Stats().*field)}};
    };
  };
  (void)registry.AddCollector("atg_http_connections_open", "Open client connections.",
                              MetricType::kGauge, {}, one(&net::ServerStats::open_connections));
  (void)registry.AddCollector(
      "atg_http_connections_rejected_total",
      "Connections refused (503) at ATG_MAX_CONNECTIONS or ATG_MAX_CONNECTIONS_PER_ADDRESS.",
      MetricType::kCounter, {}, one(&net::ServerStats::rejected_connections));
  (void)registry.AddCollector("atg_http_connections_shed_total",
                              "Idle connections closed to make room near ATG_MAX_CONNECTIONS.",
                              MetricType::kCounter, {}, one(&net::ServerStats::shed_connections));
  (void)registry.AddCollector(
      "atg_http_requests_refused_total",
      "Requests answered from their head alone without reading a body (401, body budget, "
      "connection headroom).",
      MetricType::kCounter, {}, one(&net::ServerStats::refused_requests));
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Create(const Settings& settings,
                                                 ServiceOverrides overrides) {
  auto impl = std::make_unique<Impl>();
  auto keys = LoadApiKeySet(settings);
  if (!keys.ok()) return keys.status();
  impl->keys = std::make_shared<ApiKeyRing>(std::move(*keys));

  ApiOptions api_options;
  api_options.version = overrides.version;
  api_options.target_tenant_id = std::string(Trim(
      settings.GetString("ATG_TARGET_TENANT_ID", Trim(settings.GetString("AZURE_TENANT_ID", "")))));
  if (api_options.target_tenant_id.empty()) {
    return Status::InvalidArgument(
        "no target tenant: set ATG_TARGET_TENANT_ID (or AZURE_TENANT_ID) to the one tenant this "
        "service may scan");
  }
  auto depth = settings.GetInt("ATG_MAX_QUEUE_DEPTH", 100, 0, 1'000'000);
  if (!depth.ok()) return depth.status();
  api_options.max_queue_depth = *depth;
  // Unset: each key's fair share of ATG_MAX_QUEUE_DEPTH (computed per request, keys may rotate).
  if (settings.Get("ATG_MAX_QUEUE_DEPTH_PER_KEY")) {
    auto per_key = settings.GetInt("ATG_MAX_QUEUE_DEPTH_PER_KEY", 0, 0, 1'000'000);
    if (!per_key.ok()) return per_key.status();
    api_options.max_queue_depth_per_key = *per_key;
  }
  auto body = settings.GetInt("ATG_MAX_REQUEST_BODY_BYTES", 1 << 20, 1024, 64 << 20);
  if (!body.ok()) return body.status();
  api_options.max_body_bytes = static_cast<uint64_t>(*body);
  auto metrics = settings.GetBool("ENABLE_METRICS", true);
  if (!metrics.ok()) return metrics.status();
  api_options.enable_metrics = *metrics;
  auto heartbeat = settings.GetInt("ATG_SSE_HEARTBEAT_SECONDS", 15, 1, 3600);
  if (!heartbeat.ok()) return heartbeat.status();
  api_options.sse_heartbeat = std::chrono::seconds(*heartbeat);
  auto retention = jobs::JobRetention(settings);
  if (!retention.ok()) return retention.status();
  impl->retention.retention = *retention;
  if (overrides.retention_interval.count() > 0) {
    impl->retention.interval = overrides.retention_interval;
  }
  impl->retention.clock = overrides.clock;

  auto rate = RateLimitOptions::FromSettings(settings);
  if (!rate.ok()) return rate.status();
  auto audit = AuditLog::FromSettings(settings);
  if (!audit.ok()) return audit.status();
  auto store = jobs::OpenJobStore(settings);
  if (!store.ok()) return store.status();
  WarnIfDataDirIsShared(settings);
  impl->store = std::shared_ptr<jobs::JobStore>(std::move(*store));

  ApiDeps deps;
  deps.store = impl->store;
  deps.keys = impl->keys;
  deps.limiter = std::make_shared<RequestRateLimiter>(*rate);
  deps.audit = std::shared_ptr<AuditLog>(std::move(*audit));
  auto artifacts = jobs::OpenArtifactStore(settings);
  if (!artifacts.ok()) return artifacts.status();
  impl->artifacts = std::shared_ptr<jobs::ArtifactStore>(std::move(*artifacts));
  auto ttl = jobs::ArtifactTtl(settings);
  if (!ttl.ok()) return ttl.status();
  if (ttl->count() > 0) {
    impl->sweeper = std::make_unique<jobs::ArtifactSweeper>(impl->artifacts.get(), *ttl);
  }
  deps.artifacts = impl->artifacts;
  std::shared_ptr<ServiceMetrics> m = impl->metrics;
  deps.metrics_text = [m] { return m->Render(); };
  deps.observe_request = [m](std::string_view route, std::string_view method, int status,
                             double seconds) { m->RecordRequest(route, method, status, seconds); };
  Impl* raw = impl.get();
  m->registry().AddRenderHook([raw] {
    if (auto depth = raw->store->QueueDepth(); depth.ok()) {
      raw->metrics->job_queue_depth->Set(static_cast<double>(*depth));
    }
  });
  auto health = HealthOptionsFromSettings(settings, impl->store.get());
  if (!health.ok()) return health.status();
  health->version = overrides.version;
  health->clock = overrides.clock;
  impl->health = std::make_unique<HealthChecker>(*health);
  deps.health = [raw](std::function<void(int, json::object)> done) {
    raw->health->GetAsync(
        [done = std::move(done)](HealthReport r) { done(r.http_status(), r.ToJson()); });
  };
  deps.on_store_error = [raw] { raw->health->Invalidate(); };
  deps.on_auth_failure = [m](std::string_view reason) { m->RecordAuthFailure(reason); };
  deps.on_job_created = [raw] {
    if (raw->runner) raw->runner->Notify();
  };
  auto api = Api::Create(api_options, std::move(deps));
  if (!api.ok()) return api.status();
  impl->api = std::move(*api);

  net::ServerOptions& so = impl->server_options;
  // Loopback unless told otherwise: a service reachable from the network is a deliberate choice
  // (the container image sets ATG_SERVER_HOST=0.0.0.0).
  so.host = settings.GetString("ATG_SERVER_HOST", "127.0.0.1");
  auto port = settings.GetInt("ATG_SERVER_PORT", 8000, 0, 65535);
  if (!port.ok()) return port.status();
  so.port = static_cast<uint16_t>(*port);
  auto threads = settings.GetInt("ATG_SERVER_WORKERS", 4, 1, 256);
  if (!threads.ok()) return threads.status();
  so.io_threads = static_cast<int>(*threads);
  so.max_body_bytes = api_options.max_body_bytes;
  ATG_RETURN_IF_ERROR(ReadConnectionLimits(settings, &so));
  so.head_filter = impl->api->HeadFilter();
  so.tls_cert_file = settings.GetString("ATG_TLS_CERT_FILE", "");
  so.tls_key_file = settings.GetString("ATG_TLS_KEY_FILE", "");
  if (so.tls_cert_file.empty() != so.tls_key_file.empty()) {
    return Status::InvalidArgument(
        "TLS needs both ATG_TLS_CERT_FILE and ATG_TLS_KEY_FILE; only one is set");
  }
  so.error_responder = impl->api->ErrorResponder();
  so.port_advice = "choose another with --port or ATG_SERVER_PORT";

  // ATG_MAX_CONCURRENT_JOBS=0 makes an API-only replica: it queues jobs, others run them.
  auto workers = settings.GetInt("ATG_MAX_CONCURRENT_JOBS", 3, 0, 64);
  if (!workers.ok()) return workers.status();
  if (*workers > 0) {
    auto ro = jobs::JobRunnerOptionsFromSettings(settings);
    if (!ro.ok()) return ro.status();
    impl->observer = std::make_unique<MetricsObserver>(m);
    impl->runner = std::make_unique<jobs::JobRunner>(impl->store.get(), *ro, impl->observer.get());
    std::map<std::string, jobs::JobExecutor> executors = std::move(overrides.executors);
    if (!executors.count("scan")) executors["scan"] = MakeScanExecutor(settings, m.get());
    if (!executors.count("generate-iac")) {
      ArtifactWriter writer = overrides.store_artifact;
      if (!writer) {
        std::shared_ptr<jobs::ArtifactStore> store = impl->artifacts;
        writer = [store](const jobs::Job& job, const std::string& dir) -> Result<std::string> {
          const std::string archive = dir + ".tar.gz";
          auto info = jobs::CreateTarGz(dir, archive);
          if (!info.ok()) return info.status();
          auto stored = store->Put(job.id, archive);
          std::error_code ec;
          std::filesystem::remove(archive, ec);
          if (!stored.ok()) return stored.status();
          return stored->id;
        };
      }
      executors["generate-iac"] = MakeGenerateIacExecutor(settings, writer);
    }
    for (auto& [type, executor] : executors) impl->runner->Register(type, std::move(executor));
  }
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() { Shutdown(std::chrono::milliseconds(0)); }

Status Service::Start() {
  impl_->http = std::make_unique<net::HttpServer>(impl_->server_options, impl_->api->Handler());
  ATG_RETURN_IF_ERROR(impl_->http->Start());
  RegisterConnectionMetrics(impl_->metrics->registry(), impl_->http.get());
  if (impl_->runner) ATG_RETURN_IF_ERROR(impl_->runner->Start());
  // Every process sharing a store purges it; the stores make concurrent purges safe.
  if (impl_->retention.retention.count() > 0) {
    jobs::JobPurgerOptions o = impl_->retention;
    Counter* purged = impl_->metrics->jobs_purged;
    o.on_purged = [purged](int64_t n) { purged->Inc(static_cast<double>(n)); };
    impl_->purger =
        std::make_unique<jobs::JobPurger>(impl_->store.get(), impl_->artifacts.get(), o);
  }
  Log(LogLevel::kInfo, "atg serve listening",
      {{"url", url()},
       {"queue_backend", std::string(impl_->store->backend())},
       {"keys", std::to_string(impl_->keys->Current()->keys().size())}});
  return Status::Ok();
}

uint16_t Service::port() const { return impl_->http ? impl_->http->port() : 0; }

std::string Service::url() const {
  std::string host = impl_->server_options.host;
  if (host == "0.0.0.0" || host == "::" || host.empty()) host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->http ? impl_->http->scheme() : "http") + "://" + host + ":" +
         std::to_string(port());
}

Status Service::ReloadKeys(const Settings& settings) {
  auto keys = LoadApiKeySet(settings);
  if (!keys.ok()) {
    Log(LogLevel::kError, "API key reload failed; the current keys stay in force",
        {{"reason", keys.status().message()}});
    return keys.status();
  }
  std::string ids;
  for (const auto& k : keys->keys()) ids += (ids.empty() ? "" : ",") + k.id;
  impl_->keys->Replace(std::move(*keys));
  Log(LogLevel::kInfo, "API keys reloaded", {{"key_ids", ids}});
  return Status::Ok();
}

void Service::Shutdown(std::chrono::milliseconds grace) {
  if (impl_->shut_down) return;
  impl_->shut_down = true;
  if (impl_->http) impl_->http->StopAccepting();
  impl_->purger.reset();
  if (impl_->runner) impl_->runner->Shutdown(grace);
  impl_->api->Shutdown();
  if (impl_->http) impl_->http->Stop(grace);
}

}  // namespace atg::server
