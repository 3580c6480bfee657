"""Reads an `atg graph export` file with the libraries people open graphs with and prints what
they saw as one JSON object: {"nodes": N, "edges": M, "labels": {id: label}, "kinds": {id: kind},
"edge_types": {type: count}}.

  read_graph.py graphml FILE     networkx.read_graphml (Gephi's and yEd's format)
  read_graph.py dot FILE         pydot, through networkx.nx_pydot.read_dot (Graphviz's format)

Exits non-zero, with the reader's own error, when the file does not parse.
"""
import collections
import json
import sys

import networkx


def unquote(value):
    # pydot keeps DOT's quotes and escapes in attribute values.
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    if fmt == "graphml":
        graph = networkx.read_graphml(path)
    elif fmt == "dot":
        graph = networkx.nx_pydot.read_dot(path)
        # pydot reads the graph-wide `node [shape=box]` statement as a node named "node".
        if "node" in graph and not graph.nodes["node"].get("kind"):
            graph.remove_node("node")
    else:
        sys.exit("unknown format " + fmt)
    labels = {unquote(n): unquote(d.get("label", "")) for n, d in graph.nodes(data=True)}
    kinds = {unquote(n): unquote(d.get("kind", "")) for n, d in graph.nodes(data=True)}
    types = collections.Counter(unquote(d.get("label", "")) for _, _, d in graph.edges(data=True))
    print(json.dumps({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                      "directed": graph.is_directed(), "labels": labels, "kinds": kinds,
                      "edge_types": types}))


if __name__ == "__main__":
    main()
