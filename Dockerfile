# The atg service image: `atg serve` on a slim Debian 12 runtime, as uid 1000, with a read-only
# root filesystem in mind (every write goes to ATG_DATA_DIR, a volume). See
# docs/operations/container.md for building, running and the choices behind this file.
#
#   docker build -t atg .                                   # Docker, public debian:12-slim
#   podman --storage-driver vfs --runtime runc build --format docker --network host \
#     --build-arg BASE_IMAGE=localhost/atg-base:bookworm-slim -t atg .   # tests/deploy/
#
# Build arguments: BASE_IMAGE (a Debian 12 image), ATG_BUILD_TYPE (the CMake build type; the
# default compiles with exactly the flags of the tree CI tests, so the shipped code is the tested
# code and a shared compiler cache hits), ATG_CCACHE_DIR (where the compiler cache lives during
# the build: a BuildKit cache mount by default, or a host directory mounted with
# `podman build --volume`), and the OCI label values ATG_VERSION, ATG_REVISION, ATG_SOURCE,
# ATG_CREATED.
ARG BASE_IMAGE=debian:12-slim

# --- build: the project's own setup script, build packages only, then the atg target ---------
# checkov:skip=CKV_DOCKER_7:the base is a build argument whose default, debian:12-slim, is a pinned release tag
FROM ${BASE_IMAGE} AS build
ARG ATG_BUILD_TYPE=RelWithDebInfo
ARG ATG_CCACHE_DIR=/ccache
ENV CCACHE_DIR=${ATG_CCACHE_DIR} \
    CCACHE_BASEDIR=/src \
    CCACHE_NOHASHDIR=true \
    CCACHE_MAXSIZE=5G
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN ATG_SETUP_PACKAGES=build ATG_BUILD_TYPES=none scripts/setup.sh
# The rest of the allow-listed context (.dockerignore: CMakeLists.txt, src/, docker/) in one step:
# with podman's vfs driver every step is a full copy of the stage's file system.
COPY . .
# The compiled binary is stripped into /out; its debug info stays in this stage (/out/atg.debug,
# `--target build` to extract it) for symbolising a crash. The last step checks that
# docker/runtime-packages.txt is exactly what ldd says the binary needs.
# ATG_BUILD_LANG: ccache hashes the locale (it changes compiler messages), so the build runs
# with the host build's LANG (tests/deploy/build_image.sh passes it) for its entries to match.
ARG ATG_BUILD_LANG=""
RUN --mount=type=cache,id=atg-ccache,target=/ccache \
    if [ -n "${ATG_BUILD_LANG}" ]; then export LANG="${ATG_BUILD_LANG}"; fi \
 && export CCACHE_STATSLOG=/tmp/ccache-stats.log \
 && ATG_SETUP_SKIP_APT=1 ATG_BUILD_TYPES="${ATG_BUILD_TYPE}" ATG_BUILD_TARGETS=atg \
      scripts/setup.sh \
 && { ccache --show-log-stats --verbose 2>/dev/null | grep -E '^ *(Hits|Misses):' || true; } \
 && mkdir -p /out \
 && objcopy --only-keep-debug build/atg /out/atg.debug \
 && strip --strip-all -o /out/atg build/atg \
 && objcopy --add-gnu-debuglink=/out/atg.debug /out/atg \
 && docker/runtime-libs.sh /out/atg > /out/runtime-packages.derived \
 && if ! diff -u docker/runtime-packages.txt /out/runtime-packages.derived; then \
      echo "docker/runtime-packages.txt differs from what ldd says atg needs (above);" \
           "replace it with: docker/runtime-libs.sh build/atg > docker/runtime-packages.txt" >&2; \
      exit 1; \
    fi \
 && /out/atg version

# --- runtime: the runtime libraries, the binary, nothing else ---------------------------------
FROM ${BASE_IMAGE} AS runtime
COPY docker/runtime-packages.txt /usr/share/atg/runtime-packages.txt
# ca-certificates: TLS to Azure; curl: the health probe. The account has no password, no shell
# and no home outside the data directory. /var/backups/atg is where the compose stack's backup
# job writes (a new named volume takes the owner of the image's directory).
RUN apt-get update \
 && xargs -a /usr/share/atg/runtime-packages.txt \
      apt-get install -y --no-install-recommends ca-certificates curl \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 1000 atg \
 && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /var/lib/atg \
      --shell /usr/sbin/nologin atg \
 && install -d -o 1000 -g 1000 -m 0700 /var/lib/atg /var/backups/atg
COPY --from=build /out/atg /usr/local/bin/atg
COPY docker/healthcheck.sh /usr/local/bin/atg-healthcheck
COPY docker/backup-loop.sh /usr/local/bin/atg-backup-loop

# The label values change with every commit: declared here, after the package layer, so that
# layer stays cached.
ARG BASE_IMAGE
ARG ATG_VERSION=dev
ARG ATG_REVISION=unknown
ARG ATG_SOURCE=unknown
ARG ATG_CREATED=unknown
LABEL org.opencontainers.image.title="atg" \
      org.opencontainers.image.description="Azure Tenant Grapher service (atg serve)" \
      org.opencontainers.image.version="${ATG_VERSION}" \
      org.opencontainers.image.revision="${ATG_REVISION}" \
      org.opencontainers.image.source="${ATG_SOURCE}" \
      org.opencontainers.image.created="${ATG_CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"

# The service listens on every interface inside the container; port 8000 serves HTTPS when
# ATG_TLS_CERT_FILE and ATG_TLS_KEY_FILE name a mounted certificate and key.
# The root filesystem is read-only: temporary files (SQLite's, backup staging) go to the data
# volume too; atg creates TMPDIR when it is missing.
ENV ATG_SERVER_HOST=0.0.0.0 \
    ATG_SERVER_PORT=8000 \
    ATG_DATA_DIR=/var/lib/atg \
    TMPDIR=/var/lib/atg/tmp
VOLUME ["/var/lib/atg"]
WORKDIR /
USER 1000:1000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
  CMD ["/usr/local/bin/atg-healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/atg"]
CMD ["serve"]
