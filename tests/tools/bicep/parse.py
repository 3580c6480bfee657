"""Parses Bicep files with tree-sitter-bicep; exits 1 naming every ERROR or MISSING node.

usage: parse.py FILE.bicep...
Prints one summary line per file on stdout when it parses cleanly.
"""
import sys

import tree_sitter_bicep
from tree_sitter import Language, Parser


def problems(tree):
    """Yields (kind, row, column, text) for each ERROR or MISSING node, depth first."""
    cursor = tree.walk()
    visited_children = False
    while True:
        node = cursor.node
        if not visited_children:
            if node.is_error or node.is_missing:
                kind = "MISSING " + node.type if node.is_missing else "ERROR"
                text = node.text.decode("utf-8", "replace")[:60] if node.text else ""
                yield kind, node.start_point[0] + 1, node.start_point[1] + 1, text
            if node.has_error and cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            visited_children = True
        else:
            return


def main(paths):
    if not paths:
        print("usage: parse.py FILE.bicep...", file=sys.stderr)
        return 2
    parser = Parser(Language(tree_sitter_bicep.language()))
    failed = False
    for path in paths:
        with open(path, "rb") as f:
            tree = parser.parse(f.read())
        found = list(problems(tree))
        for kind, row, col, text in found:
            print(f"{path}:{row}:{col}: {kind} near {text!r}", file=sys.stderr)
        if found:
            failed = True
        else:
            print(f"{path}: ok ({tree.root_node.named_child_count} declarations)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
