"""Alembic's own answers, the truth of the Alembic corpus test.

usage: alembic_truth.py SCRIPT_DIR [CURRENT_REVISION ...]
Prints JSON: the heads (ScriptDirectory.get_heads, sorted) and the revisions `alembic upgrade
heads` would apply to a database at CURRENT (none: an empty database), as a sorted list; or the
error Alembic stops with.
"""
import json
import sys

from alembic.script import ScriptDirectory

try:
    script = ScriptDirectory(sys.argv[1])
    heads = sorted(script.get_heads())
    current = tuple(sys.argv[2:]) or "base"
    upgrade = sorted(r.revision for r in script.iterate_revisions("heads", current, implicit_base=True))
    print(json.dumps({"heads": heads, "upgrade": upgrade}))
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
