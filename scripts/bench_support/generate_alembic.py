"""Writes an Alembic project with COUNT revisions: mostly a trunk, with branches that are merged
back, ending in one head. Half the files use the annotated style Alembic 1.13 generates."""
import os
import random
import sys

root, count = sys.argv[1], int(sys.argv[2])
random.seed(count)
versions = os.path.join(root, "script", "versions")
os.makedirs(versions, exist_ok=True)
with open(os.path.join(root, "alembic.ini"), "w") as ini:
    ini.write("[alembic]\nscript_location = script\n")
ids, heads = [], []
for index in range(count):
    rid = "%012x" % random.getrandbits(48)
    if not ids:
        parents = []
    elif len(heads) >= 2 and (random.random() < 0.05 or index == count - 1):
        parents = heads[:]                       # merge every open branch
    elif random.random() < 0.03:
        parents = [random.choice(ids[-50:])]     # branch off a recent revision
    else:
        parents = [heads[-1]]
    heads = [h for h in heads if h not in parents] + [rid]
    ids.append(rid)
    down = "None" if not parents else repr(parents[0]) if len(parents) == 1 else repr(tuple(parents))
    if index % 2:
        text = (f'"""revision {index}\n\nRevision ID: {rid}\n"""\nfrom typing import Sequence, Union\n\nfrom alembic import op\n\n'
                f'revision: str = {rid!r}\ndown_revision: Union[str, Sequence[str], None] = {down}\n'
                f'branch_labels: Union[str, Sequence[str], None] = None\ndepends_on: Union[str, Sequence[str], None] = None\n\n\n'
                f'def upgrade() -> None:\n    op.execute("SELECT 1")\n\n\ndef downgrade() -> None:\n    pass\n')
    else:
        text = (f'"""revision {index}"""\nfrom alembic import op\n\nrevision = {rid!r}\ndown_revision = {down}\n'
                f'branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute("SELECT 1")\n\n\ndef downgrade():\n    pass\n')
    with open(os.path.join(versions, f"{index:06d}_{rid}.py"), "w") as handle:
        handle.write(text)
assert len(heads) == 1, heads
