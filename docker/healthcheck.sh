#!/bin/sh
# The container's health probe: GET /health on the service's own port, over HTTPS when the
# service was given a certificate (ATG_TLS_CERT_FILE), plain HTTP otherwise. curl --fail turns
# the 503 of an unhealthy service into a failed probe, so three failures in a row mark the
# container unhealthy and the restart policy acts (the deployment document's rule).
set -eu
scheme=http
if [ -n "${ATG_TLS_CERT_FILE:-}" ]; then scheme=https; fi
# --insecure: the certificate names the public host, and this probe talks to 127.0.0.1; it checks
# that the service answers, not who it is (clients verify the certificate as usual).
exec curl --fail --silent --show-error --insecure --max-time 5 --output /dev/null \
  "$scheme://127.0.0.1:${ATG_SERVER_PORT:-8000}/health"
