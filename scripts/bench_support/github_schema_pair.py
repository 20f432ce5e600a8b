"""Writes a pair of schemas for the graphql_diff bench: GitHub's public schema as graphql-core
prints it (old.graphql) and a copy with a handful of changes of each class (new.graphql).

  github_schema_pair.py GITHUB_SCHEMA OUT_DIR
"""
import os
import sys

from graphql import GraphQLArgument, GraphQLEnumValue, GraphQLNonNull, GraphQLString, build_schema, print_schema

schema_path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
old_sdl = print_schema(build_schema(open(schema_path).read(), assume_valid_sdl=True))
schema = build_schema(old_sdl, assume_valid_sdl=True)
query = schema.query_type
query.fields.pop("viewer")                                            # breaking: a field removed
repository = schema.type_map["Repository"]
repository.fields.pop("name")
repository.fields["issues"].args.pop(sorted(repository.fields["issues"].args)[0])   # breaking: an argument removed
query.fields["repository"].args["addedRequired"] = GraphQLArgument(GraphQLNonNull(GraphQLString))  # breaking
query.fields["repository"].args["addedOptional"] = GraphQLArgument(GraphQLString)                  # dangerous
enum = schema.type_map["IssueState"]
enum.values["ADDED_STATE"] = GraphQLEnumValue("ADDED_STATE")          # dangerous
open(os.path.join(out, "old.graphql"), "w").write(old_sdl)
open(os.path.join(out, "new.graphql"), "w").write(print_schema(schema))
