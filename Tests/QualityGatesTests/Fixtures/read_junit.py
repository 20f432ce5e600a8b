"""Reads a JUnit file with junitparser (a consumer independent of ours) and prints what it saw as JSON."""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        results = [{"type": type(r).__name__, "message": r.message, "text": r.text} for r in case.result
                   if isinstance(r, (Failure, Error, Skipped))]
        cases.append({"classname": case.classname, "name": case.name, "time": case.time, "results": results})
    props = {p.name: p.value for p in suite.properties()}
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors,
                   "skipped": suite.skipped, "properties": props, "cases": cases})
print(json.dumps(suites))
