"""packaging's answers, the truth of the specifier and marker tests.

Reads JSON from stdin: {"versions": [...], "specifiers": [...], "markers": [...], "environments": [{...}]}
Prints JSON: "contains": for each specifier, for each version, true/false/null (null when packaging
refuses either); "order": the versions sorted by packaging (valid ones only); "markers": for each
marker, for each environment, true/false/null.
"""
import json
import sys

from packaging.markers import Marker
from packaging.specifiers import InvalidSpecifier, Specifier
from packaging.version import InvalidVersion, Version

request = json.load(sys.stdin)
contains = []
for text in request["specifiers"]:
    row = []
    try:
        spec = Specifier(text)
    except InvalidSpecifier:
        contains.append([None] * len(request["versions"]))
        continue
    for version in request["versions"]:
        try:
            row.append(spec.contains(version, prereleases=True))
        except InvalidVersion:
            row.append(None)
    contains.append(row)
valid = []
for version in request["versions"]:
    try:
        valid.append((Version(version), version))
    except InvalidVersion:
        pass
order = [text for _, text in sorted(valid, key=lambda pair: pair[0])]
markers = []
for text in request["markers"]:
    row = []
    for environment in request["environments"]:
        try:
            row.append(Marker(text).evaluate(environment))
        except Exception:
            row.append(None)
    markers.append(row)
print(json.dumps({"contains": contains, "order": order, "markers": markers}))
