"""Pairs of GraphQL schemas and graphql-core's verdict on each: the truth for graphql_diff.

  schema_pairs.py GITHUB_SCHEMA [COUNT]

Writes JSON to stdout: a list of {"name", "old", "new", "breaking": [[type, description]],
"dangerous": [[type, description]]}, where the verdicts are graphql-core's find_breaking_changes
and find_dangerous_changes on build_schema(old) and build_schema(new). The pairs:

- COUNT (default 240) generated ones: a base schema with every kind of type, directive
  definitions and defaults, changed by one to three of the mutations below (seeded, so the corpus
  is the same on every run), in both directions (old → new and new → old);
- 12 from GitHub's public schema, each with one change made on graphql-core's own schema objects
  and printed back with print_schema (so the pair is in graphql-core's printing, descriptions,
  block strings and directive applications included).
"""
import copy
import json
import random
import sys

from graphql import (GraphQLArgument, GraphQLNonNull, GraphQLString, build_schema, find_breaking_changes,
                     find_dangerous_changes, print_schema)
from graphql.type import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

BASE = {
    "types": {
        "Node": {"kind": "interface", "fields": {"id": {"type": "ID!", "args": {}}}},
        "Named": {"kind": "interface", "fields": {"name": {"type": "String", "args": {}}}},
        "User": {"kind": "type", "interfaces": ["Node", "Named"], "fields": {
            "id": {"type": "ID!", "args": {}},
            "name": {"type": "String", "args": {}},
            "age": {"type": "Int", "args": {}},
            "friends": {"type": "[User!]!", "args": {"first": {"type": "Int", "default": "10"}, "after": {"type": "String"}}},
            "role": {"type": "Role", "args": {}},
            "status": {"type": "Status", "args": {"filter": {"type": "StatusFilter"}}},
            "tags": {"type": "[String]", "args": {}},
        }},
        "Admin": {"kind": "type", "interfaces": ["Node"], "fields": {
            "id": {"type": "ID!", "args": {}},
            "level": {"type": "Int!", "args": {}},
        }},
        "Orphan": {"kind": "type", "fields": {"x": {"type": "Int", "args": {}}}},
        "Spare": {"kind": "type", "fields": {"y": {"type": "String", "args": {}}}},
        "SearchResult": {"kind": "union", "members": ["User", "Admin"]},
        "Role": {"kind": "enum", "values": ["ADMIN", "EDITOR", "VIEWER", "GUEST"]},
        "Status": {"kind": "enum", "values": ["ACTIVE", "INACTIVE"]},
        "Color": {"kind": "enum", "values": ["RED", "GREEN"]},
        "StatusFilter": {"kind": "input", "fields": {
            "active": {"type": "Boolean", "default": "true"},
            "since": {"type": "String"},
            "tags": {"type": "[String!]"},
        }},
        "UserInput": {"kind": "input", "fields": {
            "name": {"type": "String!"},
            "age": {"type": "Int"},
            "role": {"type": "Role", "default": "VIEWER"},
            "scores": {"type": "[Float]", "default": "[1, 2.5]"},
        }},
        "DateTime": {"kind": "scalar"},
        "Query": {"kind": "type", "fields": {
            "me": {"type": "User", "args": {}},
            "user": {"type": "User", "args": {"id": {"type": "ID!"}}},
            "users": {"type": "[User]", "args": {"limit": {"type": "Int", "default": "20"}, "offset": {"type": "Int"},
                                                  "role": {"type": "Role"}}},
            "search": {"type": "[SearchResult!]!", "args": {"text": {"type": "String!"}}},
            "now": {"type": "DateTime", "args": {}},
            "ratio": {"type": "Float", "args": {"scale": {"type": "Float", "default": "1.5"}}},
            "filtered": {"type": "[User]", "args": {"filter": {"type": "StatusFilter", "default": "{since: \"2020\", active: false}"}}},
        }},
        "Mutation": {"kind": "type", "fields": {
            "createUser": {"type": "User", "args": {"input": {"type": "UserInput!"}}},
            "deleteUser": {"type": "Boolean", "args": {"id": {"type": "ID!"}, "hard": {"type": "Boolean", "default": "false"}}},
        }},
    },
    "directives": {
        "cached": {"args": {"ttl": {"type": "Int", "default": "60"}, "scope": {"type": "String"}}, "repeatable": True,
                   "locations": ["FIELD_DEFINITION", "OBJECT"]},
        "audit": {"args": {"level": {"type": "Int"}}, "repeatable": False, "locations": ["FIELD", "QUERY", "MUTATION"]},
    },
}


def printed(model):
    out = []
    for name, directive in model["directives"].items():
        args = "".join(f"{'(' if i == 0 else ', '}{a}: {v['type']}{' = ' + v['default'] if 'default' in v else ''}"
                       for i, (a, v) in enumerate(directive["args"].items()))
        args += ")" if directive["args"] else ""
        out.append(f"directive @{name}{args}{' repeatable' if directive['repeatable'] else ''} on {' | '.join(directive['locations'])}")
    for name, t in model["types"].items():
        kind = t["kind"]
        if kind == "scalar":
            out.append(f"scalar {name}")
        elif kind == "union":
            out.append(f"union {name} = {' | '.join(t['members'])}")
        elif kind == "enum":
            out.append(f"enum {name} {{\n" + "".join(f"  {v}\n" for v in t["values"]) + "}")
        elif kind == "input":
            out.append(f"input {name} {{\n" + "".join(
                f"  {f}: {v['type']}{' = ' + v['default'] if 'default' in v else ''}\n" for f, v in t["fields"].items()) + "}")
        else:
            implements = f" implements {' & '.join(t['interfaces'])}" if t.get("interfaces") else ""
            lines = []
            for f, v in t["fields"].items():
                args = ", ".join(f"{a}: {x['type']}{' = ' + x['default'] if 'default' in x else ''}" for a, x in v["args"].items())
                lines.append(f"  {f}{'(' + args + ')' if args else ''}: {v['type']}{' @deprecated' if v.get('deprecated') else ''}\n")
            out.append(f"{kind} {name}{implements} {{\n" + "".join(lines) + "}")
    return "\n\n".join(out) + "\n"


def objects(model, kinds=("type", "interface")):
    return [n for n, t in model["types"].items() if t["kind"] in kinds]


def field_of(model, rng, kinds=("type", "interface")):
    name = rng.choice(objects(model, kinds))
    fields = model["types"][name]["fields"]
    return name, rng.choice(list(fields)) if fields else None


def referenced(model, name):
    text = printed({"types": {k: v for k, v in model["types"].items() if k != name}, "directives": model["directives"]})
    return any(token.strip("[]!") == name for token in text.replace("(", " ").replace(")", " ").replace(",", " ").replace(":", " ").split())


def mutate(model, rng):
    """Applies one random change; returns its name (or None when it did not apply)."""
    types = model["types"]
    choice = rng.randrange(24)
    if choice == 0:  # remove an unreferenced type
        name = rng.choice([n for n in types if n not in ("Query",) and not referenced(model, n)] or ["Orphan"])
        if name in types and not referenced(model, name):
            del types[name]
            return "remove type"
    elif choice == 1:  # change the kind of an unreferenced type
        name = rng.choice(["Orphan", "Spare", "Color"])
        if name in types and not referenced(model, name):
            types[name] = rng.choice([{"kind": "scalar"}, {"kind": "enum", "values": ["ONE"]},
                                      {"kind": "input", "fields": {"z": {"type": "Int"}}}, {"kind": "type", "fields": {"z": {"type": "Int", "args": {}}}}])
            return "change kind"
    elif choice == 2:
        if "Orphan" in types and "Orphan" not in types["SearchResult"]["members"] and types["Orphan"]["kind"] == "type":
            types["SearchResult"]["members"].append("Orphan")
            return "add union member"
    elif choice == 3:
        if len(types["SearchResult"]["members"]) > 1:
            types["SearchResult"]["members"].pop(rng.randrange(len(types["SearchResult"]["members"])))
            return "remove union member"
    elif choice == 4:
        enum = rng.choice([n for n in objects(model, ("enum",))])
        types[enum]["values"].append(rng.choice(["NEW", "EXTRA", "OTHER"]) + str(rng.randrange(10)))
        return "add enum value"
    elif choice == 5:
        enum = rng.choice(objects(model, ("enum",)))
        candidates = [v for v in types[enum]["values"] if v != "VIEWER"]  # VIEWER is a default
        if len(types[enum]["values"]) > 1 and candidates:
            types[enum]["values"].remove(rng.choice(candidates))
            return "remove enum value"
    elif choice in (6, 7):  # add an input field
        name = rng.choice(objects(model, ("input",)))
        required = choice == 6
        field = ("must" if required else "may") + str(rng.randrange(100))
        types[name]["fields"][field] = {"type": "String!" if required else rng.choice(["String", "Int!"])}
        if not required and types[name]["fields"][field]["type"].endswith("!"):
            types[name]["fields"][field]["default"] = "0"
        return "add input field"
    elif choice == 8:
        name = rng.choice(objects(model, ("input",)))
        fields = types[name]["fields"]
        if len(fields) > 1:
            del fields[rng.choice(list(fields))]
            return "remove input field"
    elif choice in (9, 10):  # change an input field's or an argument's type
        changes = ["nullable", "non-null", "list", "unlist", "rename"]
        how = rng.choice(changes)
        if choice == 9:
            name = rng.choice(objects(model, ("input",)))
            target = types[name]["fields"][rng.choice(list(types[name]["fields"]))]
        else:
            tname, fname = field_of(model, rng)
            args = types[tname]["fields"][fname]["args"] if fname else {}
            if not args:
                return None
            target = args[rng.choice(list(args))]
        return change_type(target, how, input_side=True)
    elif choice == 11:
        if "Named" not in types["Admin"]["interfaces"]:
            types["Admin"]["interfaces"].append("Named")
            types["Admin"]["fields"].setdefault("name", {"type": "String", "args": {}})
            return "add interface"
    elif choice == 12:
        if types["User"]["interfaces"]:
            types["User"]["interfaces"].pop()
            return "remove interface"
    elif choice == 13:
        tname, fname = field_of(model, rng, ("type",))
        if fname and len(types[tname]["fields"]) > 1 and not (tname in ("User", "Admin") and fname in ("id", "name")):
            del types[tname]["fields"][fname]
            return "remove field"
    elif choice == 14:
        tname, fname = field_of(model, rng, ("type",))
        if fname and not (tname in ("User", "Admin") and fname in ("id", "name")):
            return change_type(types[tname]["fields"][fname], rng.choice(["nullable", "non-null", "list", "unlist", "rename"]), input_side=False)
    elif choice in (15, 16):
        tname, fname = field_of(model, rng, ("type",))
        if fname:
            required = choice == 15
            arg = ("need" if required else "opt") + str(rng.randrange(100))
            spec = {"type": "Int!"} if required else rng.choice([{"type": "Int"}, {"type": "Int!", "default": "3"}])
            types[tname]["fields"][fname]["args"][arg] = spec
            return "add argument"
    elif choice == 17:
        tname, fname = field_of(model, rng, ("type",))
        args = types[tname]["fields"][fname]["args"] if fname else {}
        if args:
            del args[rng.choice(list(args))]
            return "remove argument"
    elif choice == 18:  # change or remove a default
        holders = [a for t in types.values() if t["kind"] == "type" for f in t["fields"].values() for a in f["args"].values() if "default" in a]
        if holders:
            arg = rng.choice(holders)
            if rng.random() < 0.3:
                del arg["default"]
            else:
                arg["default"] = {"Int": "7", "Float": rng.choice(["2", "1.5", "2.0"]), "Boolean": "true",
                                  "StatusFilter": rng.choice(["{active: false, since: \"2020\"}", "{since: \"2021\"}"]),
                                  }.get(arg["type"].strip("!"), arg["default"])
            return "change default"
    elif choice == 19:
        if model["directives"]:
            del model["directives"][rng.choice(list(model["directives"]))]
            return "remove directive"
    elif choice == 20:
        name = rng.choice(list(model["directives"]) or [None])
        if name:
            directive = model["directives"][name]
            if directive["args"] and rng.random() < 0.5:
                del directive["args"][rng.choice(list(directive["args"]))]
            else:
                directive["args"]["req" + str(rng.randrange(10))] = {"type": "String!"}
            return "directive argument"
    elif choice == 21:
        name = rng.choice(list(model["directives"]) or [None])
        if name:
            directive = model["directives"][name]
            if directive["repeatable"]:
                directive["repeatable"] = False
            elif len(directive["locations"]) > 1:
                directive["locations"].pop(0)
            else:
                directive["locations"].append("ENUM_VALUE")
            return "directive shape"
    elif choice == 22:  # stop referencing Float
        if "ratio" in types["Query"]["fields"]:
            del types["Query"]["fields"]["ratio"]
            types["UserInput"]["fields"].pop("scores", None)
            return "drop Float"
    elif choice == 23:  # safe ones graphql-core does not report
        types["Fresh" + str(rng.randrange(100))] = {"kind": "type", "fields": {"a": {"type": "Int", "args": {}}}}
        tname, fname = field_of(model, rng, ("type",))
        if fname:
            types[tname]["fields"][fname]["deprecated"] = True
        return "safe"
    return None


def change_type(target, how, input_side):
    t = target["type"]
    if how == "nullable" and t.endswith("!"):
        target["type"] = t[:-1]
    elif how == "non-null" and not t.endswith("!"):
        target["type"] = t + "!"
    elif how == "list" and not t.startswith("["):
        target["type"] = "[" + t + "]"
    elif how == "unlist" and t.startswith("["):
        target["type"] = t.strip("!")[1:-1]
    elif how == "rename":
        named = t.strip("[]!")
        replacement = {"Int": "String", "String": "Int", "Boolean": "String", "ID": "String", "Float": "Int"}.get(named)
        if not replacement:
            return None
        target["type"] = t.replace(named, replacement)
    else:
        return None
    target.pop("default", None)  # a default of the old type may not fit the new one
    return "change type"


def verdict(old_sdl, new_sdl):
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    return ([[c.type.name, c.description] for c in find_breaking_changes(old, new)],
            [[c.type.name, c.description] for c in find_dangerous_changes(old, new)])


def generated(count):
    rng = random.Random(20261130)
    pairs = []
    attempts = 0
    while len(pairs) < count and attempts < count * 20:
        attempts += 1
        model = copy.deepcopy(BASE)
        applied = [m for m in (mutate(model, rng) for _ in range(rng.randint(1, 3))) if m]
        if not applied:
            continue
        old_sdl, new_sdl = printed(BASE), printed(model)
        if rng.random() < 0.5:
            old_sdl, new_sdl = new_sdl, old_sdl
        try:
            breaking, dangerous = verdict(old_sdl, new_sdl)
        except Exception:  # a mutation that made an invalid schema: not a pair
            continue
        pairs.append({"name": f"generated {len(pairs)}: {', '.join(applied)}", "old": old_sdl, "new": new_sdl,
                      "breaking": breaking, "dangerous": dangerous})
    return pairs


def github(path):
    sdl = open(path).read()
    base = build_schema(sdl, assume_valid_sdl=True)
    old_sdl = print_schema(base)
    reference = build_schema(old_sdl, assume_valid_sdl=True)
    pairs = []

    def pair(name, change):
        # The change is made on a schema of its own; graphql-core compares the schema objects.
        schema = build_schema(old_sdl, assume_valid_sdl=True)
        change(schema)
        pairs.append({"name": f"github: {name}", "old": old_sdl, "new": print_schema(schema),
                      "breaking": [[c.type.name, c.description] for c in find_breaking_changes(reference, schema)],
                      "dangerous": [[c.type.name, c.description] for c in find_dangerous_changes(reference, schema)]})

    def remove_field(type_name, field):
        return lambda s: s.type_map[type_name].fields.pop(field)

    def make_non_null(type_name, field):
        def change(s):
            f = s.type_map[type_name].fields[field]
            f.type = GraphQLNonNull(f.type) if not isinstance(f.type, GraphQLNonNull) else f.type.of_type
        return change

    def remove_arg(type_name, field):
        def change(s):
            args = s.type_map[type_name].fields[field].args
            if args:
                args.pop(sorted(args)[0])
        return change

    def add_arg(type_name, field, required):
        def change(s):
            s.type_map[type_name].fields[field].args["addedArg"] = GraphQLArgument(GraphQLNonNull(GraphQLString) if required else GraphQLString)
        return change

    def remove_enum_value(type_name):
        def change(s):
            values = s.type_map[type_name].values
            values.pop(sorted(values)[0])
        return change

    def add_enum_value(type_name):
        def change(s):
            from graphql import GraphQLEnumValue
            s.type_map[type_name].values["ADDED_VALUE"] = GraphQLEnumValue("ADDED_VALUE")
        return change

    query = base.query_type.name
    repository = base.type_map["Repository"]
    some_enum = sorted(n for n, t in base.type_map.items() if isinstance(t, GraphQLEnumType) and not n.startswith("__"))[3]
    some_input = sorted(n for n, t in base.type_map.items() if isinstance(t, GraphQLInputObjectType))[5]
    pair(f"{query}.viewer removed", remove_field(query, "viewer"))
    pair("Repository.name removed", remove_field("Repository", "name"))
    pair("Repository.description made non-null", make_non_null("Repository", "description"))
    pair("Repository.name made nullable", make_non_null("Repository", "name"))
    pair(f"{query}.repository's first argument removed", remove_arg(query, "repository"))
    pair(f"{query}.repository gets a required argument", add_arg(query, "repository", True))
    pair(f"{query}.repository gets an optional argument", add_arg(query, "repository", False))
    pair(f"{some_enum}: a value removed", remove_enum_value(some_enum))
    pair(f"{some_enum}: a value added", add_enum_value(some_enum))

    def input_required(s):
        from graphql import GraphQLInputField
        s.type_map[some_input].fields["addedField"] = GraphQLInputField(GraphQLNonNull(GraphQLString))
    pair(f"{some_input}: a required field added", input_required)

    def drop_interface(s):
        t = s.type_map["Repository"]
        t.interfaces = t.interfaces[1:]
    pair("Repository drops an interface", drop_interface)
    pair("Repository.issues's first argument removed", remove_arg("Repository", "issues"))
    return pairs


if __name__ == "__main__":
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 240
    json.dump(generated(count) + github(sys.argv[1]), sys.stdout)
