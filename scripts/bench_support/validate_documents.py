"""graphql-core's side of the document benchmark: finds the gql templates in the .ts files under
FOLDER and validates each against the schema with graphql-core's `validate` (all the
specification's rules). Exits 1 when a document is invalid. usage: validate_documents.py SCHEMA FOLDER"""
import os
import re
import sys

from graphql import Source, build_schema, parse, validate

schema = build_schema(open(sys.argv[1]).read(), assume_valid_sdl=True)
# The generated files' own shape (`export const X = gql`…``): simpler than a JavaScript lexer,
# which favours this side of the comparison.
template = re.compile(r"export const \w+ = gql`([^`]*)`")
invalid = 0
for root, _, files in os.walk(sys.argv[2]):
    for name in sorted(files):
        if not name.endswith(".ts"):
            continue
        path = os.path.join(root, name)
        for match in template.finditer(open(path).read()):
            errors = validate(schema, parse(Source(match.group(1), path)))
            invalid += len(errors)
sys.exit(1 if invalid else 0)
