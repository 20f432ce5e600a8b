"""graphql-core's own validation, the truth of the GraphQL corpus test.

usage: graphql_truth.py SCHEMA DOCUMENT...
Prints JSON: for each document, whether it parses, and graphql-core's errors (all the
specification's rules), each with its first location and message.
"""
import json
import sys

from graphql import GraphQLError, Source, build_schema, parse, validate



def place(text, error):
    """Line and column of the error's first position, counted as the specification counts lines
    (\\r\\n, \\n and \\r end one). graphql-core 3.2's own `Source.get_location` is off by one at
    the start of a line (`splitlines` drops the final empty line), so the offset is recounted here."""
    if not error.positions:
        location = error.locations[0] if error.locations else None
        return (location.line, location.column) if location else (0, 0)
    offset, line, column, index = error.positions[0], 1, 1, 0
    while index < offset:
        if text[index] == "\r":
            line, column = line + 1, 1
            if index + 1 < len(text) and text[index + 1] == "\n":
                index += 1
        elif text[index] == "\n":
            line, column = line + 1, 1
        else:
            column += 1
        index += 1
    return line, column


schema = build_schema(open(sys.argv[1]).read(), assume_valid_sdl=True)
results = []
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8").read()
    try:
        document = parse(Source(text, path))
    except GraphQLError as error:
        results.append({"file": path, "parses": False, "errors": [[*place(text, error), error.message]]})
        continue
    errors = [[*place(text, error), error.message] for error in validate(schema, document)]
    results.append({"file": path, "parses": True, "errors": errors})
print(json.dumps(results))
