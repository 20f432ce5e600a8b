"""Prints the heads real Alembic finds in SCRIPT_DIR/versions, one per line, sorted."""
import sys

from alembic.script import ScriptDirectory

for head in sorted(ScriptDirectory(sys.argv[1]).get_heads()):
    print(head)
