#!/usr/bin/env python3
"""Extracts the Azure resource schemas ATG fits IaC bodies to, from the azapi provider's sources.

The azapi Terraform provider validates every `body` against the Azure resource schemas it embeds
(bicep-types `types.json` files under `internal/azure/generated/<module>/<namespace>/<version>/`
of github.com/Azure/terraform-provider-azapi). ATG ships a compact, deduplicated extract of those
schemas (src/iac/data/azure_schemas.json, compiled into the binary) so that the bodies it writes
in Terraform, Bicep and ARM carry only properties the schema lets a deployment set, with enum
values in the schema's spelling, for an api-version the provider knows.

    git clone --branch v2.9.0 --depth 1 https://github.com/Azure/terraform-provider-azapi
    scripts/extract_azure_schemas.py terraform-provider-azapi/internal/azure/generated \
        src/iac/data/azure_schema_types.txt src/iac/data/azure_schemas.json

What is kept, per resource type listed in the types file: every api-version azapi knows (so the
generator can pick one both the tenant and the provider support), and the schema of each stable
version released since MIN_SCHEMA_VERSION, or, for a type without one, of its newest stable and
newest preview version. For other versions only the name is kept. Descriptions and type names
are dropped and identical sub-schemas (across types and versions) are stored once: the type
graph is minimised by partition refinement, so recursive types (a subnet's network security
group's subnets) stay finite.

Node encoding (a JSON array per node, referenced by index):
  ["s", minLength, maxLength, pattern, sensitive]   string (trailing defaults omitted)
  ["l", value]                                      string literal
  ["u", [node...]]                                  union (of literals, usually with "s": open)
  ["o", [name, node, flags, ...], additionalNode]   object: a flat list of property triples,
                                                    name an index into "names"; flags: 1
                                                    required, 2 read-only, 4 write-only, 8
                                                    deploy-time constant
  ["d", discriminator, [base triples], {value: node}] discriminated object
  ["a", item, minLength, maxLength]                 array
  ["i", min, max]                                   integer
  ["b"]                                             boolean
  ["n"]                                             any
"""

import collections
import glob
import json
import os
import sys

MIN_SCHEMA_VERSION = "2020-01-01"

# Versions the provider's schemas hold but its validation refuses (internal/azure/loader.go,
# skipApiVersions: not served by Azure yet). Lower-cased type -> versions.
SKIPPED_VERSIONS = {
    "microsoft.keyvault/vaults/keys": {"2026-02-01", "2026-03-01-preview"},
    "microsoft.keyvault/vaults/secrets": {"2026-02-01", "2026-03-01-preview"},
}


def load_types(generated):
    """(lower type) -> {version: (file, index)}; and every file's parsed list."""
    index = collections.defaultdict(dict)
    files = {}
    for path in sorted(glob.glob(os.path.join(generated, "*", "*", "*", "types.json"))):
        with open(path, encoding="utf-8") as f:
            nodes = json.load(f)
        files[path] = nodes
        for i, node in enumerate(nodes):
            if node.get("$type") != "ResourceType":
                continue
            name, _, version = node["name"].partition("@")
            if version in SKIPPED_VERSIONS.get(name.lower(), ()):
                continue
            # A type can be in several modules for one version; the first (sorted path) wins.
            index[name.lower()].setdefault(version, (path, i, name))
    return index, files


def ref(r):
    return int(r["$ref"][2:])


def local_parts(node):
    """(label, children) of a bicep-types node, children as local indexes."""
    t = node["$type"]
    if t == "StringType":
        return ("s", node.get("minLength"), node.get("maxLength"), node.get("pattern"),
                bool(node.get("sensitive"))), []
    if t == "StringLiteralType":
        return ("l", node["value"]), []
    if t == "UnionType":
        kids = [ref(e) for e in node["elements"]]
        return ("u", len(kids)), kids
    if t == "ObjectType":
        props = sorted(node.get("properties", {}).items())
        kids = [ref(p["type"]) for _, p in props]
        ap = node.get("additionalProperties")
        if ap is not None:
            kids.append(ref(ap))
        label = ("o", tuple((k, p.get("flags", 0) & 15) for k, p in props), ap is not None)
        return label, kids
    if t == "DiscriminatedObjectType":
        base = sorted(node.get("baseProperties", {}).items())
        elements = sorted(node.get("elements", {}).items())
        kids = [ref(p["type"]) for _, p in base] + [ref(e) for _, e in elements]
        label = ("d", node["discriminator"], tuple((k, p.get("flags", 0) & 15) for k, p in base),
                 tuple(k for k, _ in elements))
        return label, kids
    if t == "ArrayType":
        return ("a", node.get("minLength"), node.get("maxLength")), [ref(node["itemType"])]
    if t == "IntegerType":
        return ("i", node.get("minValue"), node.get("maxValue")), []
    if t == "BooleanType":
        return ("b",), []
    if t == "AnyType":
        return ("n",), []
    if t in ("NullType",):
        return ("n",), []
    raise ValueError("unknown node type " + t)


def trim(values):
    values = list(values)
    while values and values[-1] in (None, False):
        values.pop()
    return values


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: extract_azure_schemas.py GENERATED_DIR TYPES_FILE OUTPUT_JSON")
    generated, types_file, output = sys.argv[1:]
    index, files = load_types(generated)
    wanted = []
    with open(types_file, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                wanted.append(line.lower())
    missing = [t for t in wanted if t not in index]
    if missing:
        sys.exit("types the schemas do not know: " + ", ".join(missing))

    # Roots: (type, version) -> global node (file, local index) of the resource body.
    roots = {}
    for t in wanted:
        versions = sorted(index[t])
        stable = [v for v in versions if "preview" not in v]
        chosen = [v for v in stable if v >= MIN_SCHEMA_VERSION]
        if not chosen:
            # Types that ship previews only (diagnostic settings): the newest of each kind.
            previews = [v for v in versions if "preview" in v]
            chosen = stable[-1:] + previews[-1:]
        for v in chosen:
            path, i, _ = index[t][v]
            roots[(t, v)] = (path, ref(files[path][i]["body"]))

    # Every node reachable from a root, with its label and children.
    label_of, kids_of = {}, {}
    stack = list(roots.values())
    while stack:
        g = stack.pop()
        if g in label_of:
            continue
        path, i = g
        label, kids = local_parts(files[path][i])
        label_of[g] = label
        kids_of[g] = [(path, k) for k in kids]
        stack.extend(kids_of[g])

    # Partition refinement: nodes with equal labels and equivalent children are one node.
    nodes = sorted(label_of)
    labels = {}
    cls = {g: labels.setdefault(label_of[g], len(labels)) for g in nodes}
    count = len(labels)
    while True:
        sig = {}
        new = {g: sig.setdefault((cls[g], tuple(cls[k] for k in kids_of[g])), len(sig))
               for g in nodes}
        if len(sig) == count:
            break
        cls, count = new, len(sig)

    # Emit one node per class, in first-visit order from the roots, so the output is stable.
    out_index, out_nodes, order = {}, [], []
    names = {}

    def triples(props, kids):
        flat = []
        for n, (name, flags) in enumerate(props):
            flat += [names.setdefault(name, len(names)), kids[n], flags]
        return flat

    representative = {}
    for g in nodes:
        representative.setdefault(cls[g], g)

    def number(c):
        if c not in out_index:
            out_index[c] = len(out_nodes)
            out_nodes.append(None)
            order.append(c)
        return out_index[c]

    for key in sorted(roots):
        number(cls[roots[key]])
    pos = 0
    while pos < len(order):
        c = order[pos]
        pos += 1
        g = representative[c]
        label, kids = label_of[g], [number(cls[k]) for k in kids_of[g]]
        kind = label[0]
        if kind == "s":
            enc = ["s"] + trim(label[1:])
        elif kind == "l":
            enc = ["l", label[1]]
        elif kind == "u":
            enc = ["u", kids]
        elif kind == "o":
            enc = ["o", triples(label[1], kids)] + ([kids[-1]] if label[2] else [])
        elif kind == "d":
            nb = len(label[2])
            elements = {name: kids[nb + n] for n, name in enumerate(label[3])}
            enc = ["d", label[1], triples(label[2], kids), elements]
        elif kind == "a":
            enc = ["a", kids[0]] + trim(label[1:])
        elif kind == "i":
            enc = ["i"] + trim(label[1:])
        else:
            enc = [kind]
        out_nodes[out_index[c]] = enc

    resources = {}
    for t in sorted(index):
        versions = {}
        for v in sorted(index[t]):
            versions[v] = out_index[cls[roots[(t, v)]]] if (t, v) in roots else None
        if t in wanted:
            resources[t] = {"versions": versions}
    doc = {
        "format": 1,
        "source": "Azure/terraform-provider-azapi internal/azure/generated (bicep-types types.json)",
        "resources": resources,
        "names": list(names),
        "nodes": out_nodes,
    }
    with open(output, "w", encoding="utf-8") as f:
        # One resource or node per line: small diffs when the provider moves on.
        f.write('{"format": 1,\n"source": %s,\n"resources": {\n' % json.dumps(doc["source"]))
        f.write(",\n".join("%s: %s" % (json.dumps(k), json.dumps(v, separators=(",", ":")))
                           for k, v in resources.items()))
        f.write('},\n"names": %s,\n"nodes": [\n' % json.dumps(doc["names"]))
        f.write(",\n".join(json.dumps(n, separators=(",", ":")) for n in out_nodes))
        f.write("]}\n")
    print("%d resource types, %d schemas, %d nodes, %d bytes" %
          (len(resources), len(roots), len(out_nodes), os.path.getsize(output)), file=sys.stderr)


if __name__ == "__main__":
    main()
