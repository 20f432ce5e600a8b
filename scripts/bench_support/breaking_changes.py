"""graphql-core's side of the graphql_diff bench: reads two SDL files, builds both schemas and runs
find_breaking_changes and find_dangerous_changes, as a CI step doing the same in Python would.

  breaking_changes.py OLD NEW   (exit 1 when something breaks, as the gate does)
"""
import sys

from graphql import build_schema, find_breaking_changes, find_dangerous_changes

old = build_schema(open(sys.argv[1]).read(), assume_valid_sdl=True)
new = build_schema(open(sys.argv[2]).read(), assume_valid_sdl=True)
breaking, dangerous = find_breaking_changes(old, new), find_dangerous_changes(old, new)
for change in breaking + dangerous:
    print(change.type.name, change.description)
sys.exit(1 if breaking else 0)
