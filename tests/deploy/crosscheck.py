"""The deployment descriptors against the program: every environment variable that the
Dockerfile, the compose file, the Bicep templates, the parameter files and the workflows give
the service is one `atg` reads, every variable `atg serve` requires is set by each descriptor
that runs it, secrets are never plain values, the parameter files match main.bicep, and the
alert rules query metrics the service really exports.

The program's variables come from one place, its settings catalog (`atg config vars --json`,
src/common/settings_catalog.cc), so a setting added there is known here at once.

usage: python crosscheck.py ATG_BINARY COMPOSECHECK   (run with the tree-sitter-bicep venv)
Prints `crosscheck: N passed, N failed`; exits 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import tree_sitter_bicep
from tree_sitter import Language, Parser

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Names in these namespaces are the service's; anything else (BACKUP_*, Neo4j's own NEO4J_AUTH in
# its container, the workflow's own variables) belongs to someone else and is not checked.
SERVICE_NAME = re.compile(
    r"\b((?:ATG|AZURE|NEO4J|REDIS|IDENTITY)_[A-Z0-9_]*[A-Z0-9]|LOG_LEVEL|ENABLE_METRICS)\b")
# What a container running the service needs besides the catalog's required groups.
CONTAINER_NEEDS = {"ATG_SERVER_HOST", "ATG_DATA_DIR"}

passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}", file=sys.stderr)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def catalog(atg):
    out = subprocess.run([atg, "config", "vars", "--json"], check=True, capture_output=True,
                         text=True).stdout
    return {v["name"]: v for v in json.loads(out)}


def known_to_service(names, cat, where):
    """Every service-namespace name is in the catalog and is not a client-only setting."""
    for name in sorted(names):
        spec = cat.get(name)
        check(spec is not None and spec["scope"] != "client",
              f"{where}: {name} is a variable atg serve reads"
              + ("" if spec else " (not in src/common/settings_catalog.cc)")
              + (" (a client setting)" if spec and spec["scope"] == "client" else ""))


def sets_requirements(names, cat, where):
    groups = {}
    for spec in cat.values():
        if spec["required_group"]:
            groups.setdefault(spec["required_group"], set()).add(spec["name"])
    for group, members in sorted(groups.items()):
        check(bool(members & names), f"{where}: sets one of {sorted(members)} ({group})")
    for name in sorted(CONTAINER_NEEDS):
        check(name in names, f"{where}: sets {name}")


# --- Dockerfile ---------------------------------------------------------------------------
def dockerfile(cat):
    text = read("Dockerfile").replace("\\\n", " ")
    names = set()
    for line in text.splitlines():
        if line.strip().startswith("ENV "):
            names.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", line))
    check(bool(names), "Dockerfile: sets environment variables")
    known_to_service({n for n in names if SERVICE_NAME.fullmatch(n)}, cat, "Dockerfile")
    for name in sorted(CONTAINER_NEEDS):
        check(name in names, f"Dockerfile: sets {name}")
    for name in names:
        check(not cat.get(name, {}).get("secret"), f"Dockerfile: {name} is no secret")


# --- docker-compose.yml -------------------------------------------------------------------
def compose(cat, composecheck):
    env = {"PATH": os.environ.get("PATH", ""), "ATG_TARGET_TENANT_ID": "t",
           "NEO4J_PASSWORD": "p"}
    r = subprocess.run([composecheck, os.path.join(ROOT, "docker-compose.yml")],
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, "docker-compose.yml loads with the Compose reference loader"
          + (f": {r.stderr.strip()}" if r.returncode else ""))
    if r.returncode:
        return
    project = json.loads(r.stdout)
    services = project["services"]
    for name in ("atg", "neo4j", "redis"):
        check(name in services, f"compose: service {name}")
    atg_image = services["atg"]["image"]
    raw = read("docker-compose.yml")
    for sname, svc in sorted(services.items()):
        if svc.get("image") != atg_image:
            continue
        names = set(svc.get("environment") or {})
        known_to_service({n for n in names if SERVICE_NAME.fullmatch(n)}, cat, f"compose {sname}")
        check(svc.get("read_only") is True, f"compose {sname}: read-only root filesystem")
        check(svc.get("user") == "1000:1000", f"compose {sname}: runs as 1000:1000")
    names = set(services["atg"].get("environment") or {})
    sets_requirements(names, cat, "compose atg")
    deps = services["atg"].get("depends_on") or {}
    for dep in ("neo4j", "redis"):
        check(deps.get(dep, {}).get("condition") == "service_healthy",
              f"compose atg: starts after {dep} is healthy")
    for sname in ("atg", "neo4j", "redis"):
        check(bool(services[sname].get("healthcheck")), f"compose {sname}: has a health check")
    redis_cmd = " ".join(services["redis"].get("command") or [])
    check("--appendonly yes" in redis_cmd, "compose redis: AOF persistence on")
    check(services["neo4j"]["image"].startswith("neo4j:5") and "community" in
          services["neo4j"]["image"], "compose neo4j: Neo4j 5 community")
    check(services["redis"]["image"].startswith("redis:7"), "compose redis: Redis 7")
    volumes = set(project.get("volumes") or {})
    for sname in ("atg", "neo4j", "redis"):
        named = [v for v in services[sname].get("volumes") or [] if v.get("type") == "volume"]
        check(bool(named) and all(v["source"] in volumes for v in named),
              f"compose {sname}: keeps its data in a named volume")
    # A secret's value is never written in the file: only ${...} from the caller's environment.
    for spec in cat.values():
        if not spec["secret"]:
            continue
        for m in re.finditer(rf"^\s*{spec['name']}:\s*(.*)$", raw, re.M):
            check(m.group(1).startswith("${"),
                  f"compose: {spec['name']} comes from the environment, not the file")


# --- Bicep ----------------------------------------------------------------------------------
PARSER = Parser(Language(tree_sitter_bicep.language()))


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def text(node):
    return node.text.decode("utf-8")


def string_value(node):
    if node is None or node.type != "string":
        return None
    parts = [c for c in node.children if c.type == "string_content"]
    return "".join(text(p) for p in parts) if len(node.children) - len(parts) == 2 else None


def properties(obj):
    props = {}
    for p in obj.children:
        if p.type == "object_property" and p.children:
            props[text(p.children[0]).strip("'")] = p.children[-1]
    return props


def env_entries(tree, variable):
    """The (name, kind) pairs of `var <variable> = [ {name: 'X', value|secureValue: ...} ]`."""
    for node in walk(tree.root_node):
        if node.type == "variable_declaration" and text(node.children[1]) == variable:
            array = node.children[-1]
            out = []
            for obj in array.children:
                if obj.type != "object":
                    continue
                props = properties(obj)
                kind = "secureValue" if "secureValue" in props else "value"
                out.append((string_value(props.get("name")), kind))
            return out
    return None


def bicep(cat):
    tree = PARSER.parse(read("infrastructure/modules/container-group.bicep").encode())
    atg_env = env_entries(tree, "atgEnvironment")
    check(atg_env is not None, "container-group.bicep: declares atgEnvironment")
    if atg_env is None:
        return
    names = {n for n, _ in atg_env}
    known_to_service(names, cat, "Bicep atg-api")
    sets_requirements(names, cat, "Bicep atg-api")
    for name, kind in atg_env:
        if cat.get(name, {}).get("secret"):
            check(kind == "secureValue", f"Bicep atg-api: {name} is a secureValue")
    backup_env = env_entries(tree, "backupEnvironment") or []
    check(all(not SERVICE_NAME.fullmatch(n) for n, _ in backup_env),
          "Bicep atg-backup: its own settings stay out of the service's namespaces")
    # Any environment entry anywhere in the templates whose name says secret is secure.
    for path in sorted(os.listdir(os.path.join(ROOT, "infrastructure", "modules"))):
        t = PARSER.parse(read(f"infrastructure/modules/{path}").encode())
        for node in walk(t.root_node):
            if node.type != "object":
                continue
            props = properties(node)
            name = string_value(props.get("name"))
            if name and "value" in props and re.search(r"PASSWORD|SECRET|_KEY$|TOKEN|AUTH$", name):
                check(False, f"{path}: {name} is a plain value; use secureValue")
    # Parameter files against main.bicep.
    main = PARSER.parse(read("infrastructure/main.bicep").encode())
    declared, required = set(), set()
    for node in main.root_node.children:
        if node.type == "parameter_declaration":
            name = text(node.children[1])
            declared.add(name)
            if not any(c.type == "=" for c in node.children):
                required.add(name)
    for env in ("dev", "integration", "prod"):
        path = f"infrastructure/parameters/{env}.json"
        doc = json.loads(read(path))
        params = doc["parameters"]
        unknown = sorted(set(params) - declared)
        check(not unknown, f"{path}: every parameter is declared in main.bicep {unknown or ''}")
        missing = sorted(required - set(params) - {"targetTenantId"})
        check(not missing, f"{path}: gives every required parameter but targetTenantId "
              f"(deploy.sh passes it) {missing or ''}")
        check(params.get("environment", {}).get("value") == env, f"{path}: environment is {env}")
        for pname, p in params.items():
            if re.search(r"password|secret|key$|token", pname, re.I):
                check("reference" in p, f"{path}: {pname} is a Key Vault reference")
        known_to_service(set(SERVICE_NAME.findall(json.dumps(doc))), cat, path)


# --- workflows ------------------------------------------------------------------------------
def workflow_env_keys(text_):
    keys, env_indent = set(), None
    for line in text_.splitlines():
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if env_indent is not None:
            if stripped and indent <= env_indent:
                env_indent = None
            elif (m := re.match(r"([A-Za-z_][A-Za-z0-9_]*):", stripped)):
                keys.add(m.group(1))
        if stripped == "env:":
            env_indent = indent
        keys.update(re.findall(r"\bexport\s+([A-Za-z_][A-Za-z0-9_]*)", line))
    return keys


def workflows(cat):
    wdir = os.path.join(ROOT, ".github", "workflows")
    for path in sorted(os.listdir(wdir)):
        keys = workflow_env_keys(read(f".github/workflows/{path}"))
        service = {k for k in keys if SERVICE_NAME.fullmatch(k)}
        for name in sorted(service):
            check(name in cat, f"{path}: env {name} is a variable atg reads")
        check(True, f"{path}: {len(keys)} environment variables, {len(service)} of the service's")


# --- alert rules against /metrics ------------------------------------------------------------
def alert_metrics(atg):
    queried = set(re.findall(r'name == "(atg_[a-z0-9_]+)"', read("infrastructure/modules/alerts.bicep")))
    check(len(queried) >= 2, f"alerts.bicep: queries the service's metrics {sorted(queried)}")
    key = os.urandom(24).hex()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "ATG_API_KEYS": key,
               "ATG_TARGET_TENANT_ID": "11111111-2222-3333-4444-555555555555",
               "ATG_DATA_DIR": tmp + "/data", "ATG_AUDIT_LOG_FILE": tmp + "/audit.log"}
        out = open(os.path.join(tmp, "out"), "w")
        proc = subprocess.Popen([atg, "serve", "--host", "127.0.0.1", "--port", "0"], env=env,
                                cwd=tmp, stdout=out, stderr=subprocess.DEVNULL)
        try:
            port = None
            for _ in range(200):
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(out.name).read())
                if m:
                    port = int(m.group(1))
                    break
                time.sleep(0.05)
            check(port is not None, "atg serve started for the metrics check")
            if port is None:
                return
            # One request so that the labelled counters have a series.
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health").read()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                         headers={"Authorization": f"Bearer {key}"})
            exported = set(re.findall(r"^# TYPE (\S+) ", urllib.request.urlopen(req).read().decode(),
                                      re.M))
            for name in sorted(queried):
                check(name in exported, f"alerts.bicep: {name} is a metric the service exports")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    atg, composecheck = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    cat = catalog(atg)
    check(len(cat) > 30, f"atg config vars lists {len(cat)} variables")
    dockerfile(cat)
    compose(cat, composecheck)
    bicep(cat)
    workflows(cat)
    alert_metrics(atg)
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
