"""Truth for the TOML reader: Python's own tomllib.

  toml_corpus.py generate DIR   writes DIR/NNNN.toml: hand-written cases, generated documents and
                                mutations of them (seeded, the same every run)
  toml_corpus.py compare DIR    reads DIR/ours.json (what quality-gates read of each file) and
                                compares it with tomllib: same verdict (valid or not), same values.
                                Prints the agreement; exit 1 on any difference.
"""
import datetime
import json
import math
import os
import random
import sys
import tomllib

HAND = [
    # strings
    'a = "basic \\" \\\\ \\n \\t \\u00e9 \\U0001F600"', "a = 'literal \\n'", 'a = """\nline one\nline two"""',
    'a = """one \\\n    two"""', "a = '''\nraw \\ text'''", 'a = """""quoted"""""', "a = ''''x''''", 'a = "\\x41"',
    'a = "tab\there"', 'a = "open', "a = 'open", 'a = """open', 'a = "\\uD800"', 'a = "\\u12"', 'a = "line\nbreak"',
    # numbers
    "a = 42", "a = +17", "a = -0", "a = 1_000", "a = 0xDEAD_beef", "a = 0o755", "a = 0b1101", "a = 012", "a = 1__0",
    "a = _1", "a = 1_", "a = 0x", "a = +0x10", "a = 3.14", "a = -0.01", "a = 5e+22", "a = 1E6", "a = 6.626e-34",
    "a = 224_617.445_991", "a = inf", "a = -inf", "a = nan", "a = +nan", "a = 1.", "a = .5", "a = 1.e5", "a = 01.5",
    "a = 9223372036854775807", "a = -9223372036854775808", "a = 1e", "a = 0.0", "a = -0.0",
    # booleans, dates
    "a = true", "a = false", "a = True", "a = 1979-05-27T07:32:00Z", "a = 1979-05-27T00:32:00.999999-07:00",
    "a = 1979-05-27 07:32:00", "a = 1979-05-27t07:32:00z", "a = 1979-05-27", "a = 07:32:00", "a = 00:32:00.999999",
    "a = 1979-02-29", "a = 1980-02-29", "a = 1979-13-01", "a = 1979-05-27T25:00:00", "a = 07:32", "a = 1979-05-27T07:32:00+24:00",
    # arrays and inline tables
    "a = [1, 2, 3]", "a = [1, 'two', 3.0, [4], {five = 5}]", "a = [\n  1, # one\n  2,\n]", "a = [,]", "a = [1 2]",
    "a = {b = 1, c.d = 2}", "a = {}", "a = {b = 1,}", "a = {b = 1\n}", "a = {b = 1, b = 2}", "a = {b.c = 1, b = {}}",
    "a = {b = {c = 1}}\na.b.d = 2", "a = [{b = 1}]\n[[a]]\nc = 2",
    # keys, tables, arrays of tables
    'a.b.c = 1\na.b.d = 2', '"quoted key" = 1\n\'literal key\' = 2\n"" = 3', 'a . b = 1', "a = 1\na = 2", "[a]\nb = 1\n[a]\nc = 2",
    "[a.b]\nc = 1\n[a]\nd = 2", "[a]\nb.c = 1\n[a.b]\nd = 2", "a.b = 1\n[a]\nc = 2", "[a.b.c]\nz = 9\n[a]\nb.c.t = 'x'",
    "[[fruits]]\nname = 'apple'\n[fruits.physical]\ncolor = 'red'\n[[fruits.varieties]]\nname = 'red delicious'\n[[fruits]]\nname = 'banana'",
    "a = [1]\n[[a]]", "[[a]]\n[a]", "[a]\n[[a]]", "[ a . b ]\nc = 1", "[a]b = 1", "[a\nb]", "[]", "[[]]", "a =", "= 1",
    "a = 1 b = 2", "a = 1 # comment", "# only a comment", "", "\n\n", "a = 1\r\nb = 2\r\n", "a = 1\rb = 2", "a = 'x' # \x01",
    "[table]\nkey = 'value'\n\n[table.sub]\nother = 2\n[other]\nx.y.z = [1, 2]",
    "[build]\nbuilder = \"NIXPACKS\"\n[deploy]\nstartCommand = \"uvicorn app.main:app\"\nhealthcheckPath = \"/health\"\n[env]\nDATA_REGION = \"canada-central\"\nSUPABASE_URL = \"${{ shared.SUPABASE_URL }}\"",
    "[project]\nname = 'nestsync'\ndependencies = [\n  'fastapi==0.115.0',\n  'gotrue==2.5.4',\n]\n[tool.ruff]\nline-length = 100",
    "a = \"\"\"\nx\"\"\"\nb = '''\n\n'''", "key = 'value'\n[a]\n[a.'b.c']\nx = 1", "1 = 'one'\n2.3 = 'dotted number key'",
    "a = 1979-05-27 ", "a = [1979-05-27 07:32:00, 1979-05-27]", "\ufeffa = 1", "a = \"é\"\nb = 'ü'", "a = [[1, 2], ['a', 'b']]",
]

KEYS = ["a", "b", "env", "DATA_REGION", "tool", "x-y", "_under", "quoted key", "é"]


def key(rng):
    k = rng.choice(KEYS)
    return k if all(c.isalnum() and c.isascii() or c in "_-" for c in k) else json.dumps(k, ensure_ascii=False)


def scalar(rng):
    return rng.choice([
        lambda: json.dumps(rng.choice(["canada-central", "x y", "", "quote \" in", "é"]), ensure_ascii=False),
        lambda: "'%s'" % rng.choice(["lit", "a\\b", ""]),
        lambda: str(rng.randint(-10**6, 10**6)), lambda: rng.choice(["1_000", "0x1F", "0o17", "0b101"]),
        lambda: rng.choice(["3.5", "-2e-3", "inf", "1_0.5"]), lambda: rng.choice(["true", "false"]),
        lambda: rng.choice(["2024-02-29", "2024-01-01T10:00:00Z", "10:00:00", "2024-01-01 10:00:00.5+01:00"]),
    ])()


def value(rng, depth):
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return "[" + ", ".join(value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    if depth < 2 and roll < 0.25:
        return "{" + ", ".join(f"{k} = {value(rng, depth + 1)}" for k in dict.fromkeys(key(rng) for _ in range(rng.randint(0, 3)))) + "}"
    return scalar(rng)


def document(rng):
    lines = []
    for _ in range(rng.randint(1, 4)):
        for k in dict.fromkeys(key(rng) for _ in range(rng.randint(1, 4))):
            lines.append(f"{k} = {value(rng, 0)}" + rng.choice(["", " # note"]))
        lines.append(rng.choice(["[section.%s]" % key(rng), "[[items]]", "[%s]" % key(rng)]))
    lines.append(f"last = {value(rng, 0)}")
    return "\n".join(lines) + "\n"


def mutate(rng, text):
    i = rng.randrange(len(text)) if text else 0
    roll = rng.random()
    if roll < 0.3:
        return text[:i] + text[i + 1:]
    if roll < 0.7:
        return text[:i] + rng.choice('"\'[]{}=,.#\n\\ _-+:') + text[i:]
    lines = text.split("\n")
    j = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[j])
    return "\n".join(lines)


def generate(folder):
    rng = random.Random(int(os.environ.get("TOML_SEED", "20261129")))
    documents = list(HAND)
    generated = [document(rng) for _ in range(150)]
    documents += generated
    documents += [mutate(rng, rng.choice(generated + HAND)) for _ in range(int(os.environ.get("TOML_MUTATIONS", "450")))]
    for index, text in enumerate(documents):
        with open(os.path.join(folder, "%04d.toml" % index), "wb") as handle:
            handle.write(text.encode("utf-8", "surrogatepass"))


def same(ours, theirs):
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in theirs)
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(same, ours, theirs))
    kind, text = ours
    if isinstance(theirs, bool):
        return kind == "boolean" and text == str(theirs).lower()
    if isinstance(theirs, int):
        return kind == "integer" and int(text) == theirs
    if isinstance(theirs, float):
        return kind == "float" and (float(text) == theirs or (math.isnan(theirs) and math.isnan(float(text))))
    if isinstance(theirs, (datetime.datetime, datetime.date, datetime.time)):
        return kind == "datetime" and tomllib.loads("x = " + text)["x"] == theirs
    return kind == "string" and text == theirs


# Where the reader knowingly differs from tomllib, and why.
BOM = b"\xef\xbb\xbf"
ACCEPTED_REASON = "a byte-order mark (Windows editors write one) is read past, as toml++ does; tomllib refuses it"


def compare(folder):
    with open(os.path.join(folder, "ours.json"), encoding="utf-8") as handle:
        ours = json.load(handle)
    agree, accepted, differences = 0, [], []
    for name in sorted(ours):
        with open(os.path.join(folder, name), "rb") as handle:
            raw = handle.read()
        try:
            theirs = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            theirs, why = None, str(error)
        mine = ours[name]
        if theirs is None and mine["ok"] and raw.startswith(BOM):
            try:
                if same(mine["value"], tomllib.loads(raw[3:].decode("utf-8"))):
                    accepted.append(f"{name}: {ACCEPTED_REASON}")
                    continue
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                pass
        if theirs is None and not mine["ok"]:
            agree += 1
        elif theirs is not None and mine["ok"] and same(mine["value"], theirs):
            agree += 1
        else:
            differences.append(f"{name}: tomllib {'refuses: ' + why if theirs is None else 'reads ' + repr(theirs)}; "
                               f"ours {'reads ' + json.dumps(mine.get('value')) if mine['ok'] else 'refuses: ' + mine['error']}\n"
                               f"    {raw!r}")
    print(f"TOML: {agree} of {len(ours)} documents read as tomllib reads them; {len(accepted)} accepted differences")
    for line in accepted + differences:
        print(line)
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    {"generate": generate, "compare": compare}[sys.argv[1]](sys.argv[2])
