"""Settings of the smoke suite, from the environment (as the deployment document specifies).

SERVICE_URL    the service, e.g. https://atg-service-dev.<region>.azurecontainer.io:8000
API_KEY        one of the service's API keys (never printed)
SMOKE_CA_FILE  optional: a PEM file of the CA that issued the service's certificate
SMOKE_SCAN     optional: 1 also runs a scan and an IaC job end to end (a simulated or test
               tenant; the pipeline leaves it off for environments that scan a real tenant)
"""
import os
import ssl

import httpx
import pytest


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        pytest.exit(f"smoke tests: set {name} (see tests/smoke/conftest.py)", returncode=2)
    return value


@pytest.fixture(scope="session")
def service_url():
    return _required("SERVICE_URL").rstrip("/")


@pytest.fixture(scope="session")
def api_key():
    return _required("API_KEY")


@pytest.fixture(scope="session")
def client(service_url):
    ca_file = os.environ.get("SMOKE_CA_FILE")
    verify = ssl.create_default_context(cafile=ca_file) if ca_file else True
    with httpx.Client(base_url=service_url, verify=verify, timeout=30.0) as c:
        yield c


@pytest.fixture(scope="session")
def auth(api_key):
    return {"Authorization": f"Bearer {api_key}"}
