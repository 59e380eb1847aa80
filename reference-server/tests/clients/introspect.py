"""graphql-core against a live endpoint: builds a client schema from the server's introspection (every option
graphql-core has) and compares it, printed and sorted, with the public SDL printed the same way.

Usage: python3 introspect.py URL AUTHORIZATION SDL_FILE. Exit 0: identical; 1: the differing lines are printed.
"""

import json
import sys
import urllib.request

from graphql import (
    build_client_schema,
    build_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)


def main(url: str, authorization: str, sdl_file: str) -> int:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "authorization": authorization},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    if not body.get("data"):
        print(f"no data: {json.dumps(body)[:2000]}")
        return 1
    live = print_schema(lexicographic_sort_schema(build_client_schema(body["data"])))
    with open(sdl_file, encoding="utf-8") as f:
        documented = print_schema(lexicographic_sort_schema(build_schema(f.read())))
    if live == documented:
        print(f"identical: {len(live.splitlines())} lines")
        return 0
    a, b = live.splitlines(), documented.splitlines()
    shown = 0
    for i in range(max(len(a), len(b))):
        if shown >= 20:
            break
        left = a[i] if i < len(a) else None
        right = b[i] if i < len(b) else None
        if left != right:
            print(f"line {i + 1}:\n  live:   {left}\n  public: {right}")
            shown += 1
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
