"""The NestSync build-target checks written as a plain Python script, the way a team would write
them without quality-gates: the benchmark's anchor. It uses `packaging`, the library pip uses.

usage: reference_checks.py PROJECT_ROOT [--requirements FILE --package NAME --version V]
Exit 0 when every check passes, 1 otherwise.
"""
import os
import re
import sys

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def dotenv(path):
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            key = key.removeprefix("export ").strip()
            value = re.sub(r"\s+#.*$", "", value.strip()).strip("'\"")
            values[key] = value
    return values


def logical_lines(text):
    pending, start = "", None
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw)
        start = start or number
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined, pending, first = (pending + line).strip(), "", start
        start = None
        if joined:
            yield first, joined


def requirements(path, constraint=False, seen=None):
    seen = set() if seen is None else seen
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    with open(real, encoding="utf-8") as handle:
        text = handle.read()
    for number, line in logical_lines(text):
        words = line.split()
        if words[0] in ("-r", "--requirement", "-c", "--constraint"):
            yield from requirements(os.path.join(os.path.dirname(real), words[1]),
                                    constraint or words[0] in ("-c", "--constraint"), seen)
            continue
        if words[0].startswith("-"):
            continue
        spec = " ".join(w for w in words if not w.startswith("--"))
        try:
            yield path, number, Requirement(spec), constraint
        except InvalidRequirement as error:
            raise SystemExit(f"{path}:{number}: {error}")


def pinned(file, package, version):
    want = canonicalize_name(package)
    found = [(p, n, r) for p, n, r, c in requirements(file) if canonicalize_name(r.name) == want and not c]
    if not found:
        return f"{package} is not in {file}"
    for path, number, requirement in found:
        specs = list(requirement.specifier)
        if len(specs) != 1 or specs[0].operator not in ("==", "===") or specs[0].version.endswith(".*"):
            return f"{requirement} at {path}:{number}, expected =={version}"
        if Version(specs[0].version) != Version(version):
            return f"{requirement} at {path}:{number}, expected =={version}"
    return None


def main(argv):
    root = argv[1]
    problems = []
    if "--requirements" in argv:
        problem = pinned(os.path.join(root, argv[argv.index("--requirements") + 1]),
                         argv[argv.index("--package") + 1], argv[argv.index("--version") + 1])
        problems += [problem] if problem else []
    else:
        problem = pinned(os.path.join(root, "NestSync-backend/requirements.txt"), "gotrue", "2.5.4")
        problems += [problem] if problem else []
        env = dotenv(os.path.join(root, ".env.example"))
        if not re.fullmatch(r"https?://.+", env.get("SUPABASE_URL", "")):
            problems.append("SUPABASE_URL not declared")
        if not env.get("SUPABASE_JWT_SECRET"):
            problems.append("SUPABASE_JWT_SECRET not declared")
        if env.get("DATA_REGION") not in ("canada-central", "canada-east"):
            problems.append("DATA_REGION not Canadian")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
