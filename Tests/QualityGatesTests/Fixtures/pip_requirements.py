"""pip's own reading of requirements files, the truth of the pip corpus test.

usage: pip_requirements.py FILE...   (with the variables ${...} in the environment)
Prints JSON: the marker environment pip evaluates in, and for each file either pip's error or
every requirement it reads, in order: canonical name (null when pip cannot tell it without
building), specifiers (sorted, as packaging writes a SpecifierSet), marker, whether the marker
holds here, whether it is a constraint, editable, and its URL.
"""
import json
import sys

from packaging.markers import default_environment
from packaging.utils import canonicalize_name
from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement
from pip._internal.req.req_file import parse_requirements

session = PipSession()
files = []
for path in sys.argv[1:]:
    entry = {"file": path}
    try:
        requirements = []
        for parsed in parse_requirements(path, session=session):
            req = install_req_from_parsed_requirement(parsed)
            requirements.append({
                "name": canonicalize_name(req.name) if req.name else None,
                "specifier": str(req.specifier) if req.req else "",
                "marker": str(req.markers) if req.markers else None,
                "applies": req.match_markers(),
                "constraint": parsed.constraint,
                "editable": req.editable,
                "url": req.link.url if req.link else None,
            })
        entry["requirements"] = requirements
    except BaseException as error:  # pip raises SystemExit-like errors for bad options
        entry["error"] = f"{type(error).__name__}: {error}"
    files.append(entry)
print(json.dumps({"environment": default_environment(), "files": files}))
