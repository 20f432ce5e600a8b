"""Writes a pip requirements tree of LINES lines spread over include files, the way large
monorepos split them: a root file that includes groups, each group including leaf files. The
package to check (gotrue==2.5.4) sits in the last leaf, so every file must be read."""
import os
import sys

root, lines = sys.argv[1], int(sys.argv[2])
groups, leaves_per_group = 20, 5
files = groups * leaves_per_group
per_file = lines // files
os.makedirs(os.path.join(root, "requirements", "groups"), exist_ok=True)
with open(os.path.join(root, "requirements.txt"), "w") as top:
    top.write("# generated\n--index-url https://pypi.org/simple\n")
    for group in range(groups):
        top.write(f"-r requirements/group-{group:02}.txt\n")
        with open(os.path.join(root, "requirements", f"group-{group:02}.txt"), "w") as g:
            for leaf in range(leaves_per_group):
                g.write(f"-r groups/leaf-{group:02}-{leaf}.txt\n")
                with open(os.path.join(root, "requirements", "groups", f"leaf-{group:02}-{leaf}.txt"), "w") as f:
                    for i in range(per_file):
                        n = (group * leaves_per_group + leaf) * per_file + i
                        kind = n % 5
                        if kind == 0:
                            f.write(f"pkg-{n}==1.{n % 17}.{n % 7}\n")
                        elif kind == 1:
                            f.write(f"Pkg_{n}[extra]=={n % 9}.0 ; python_version >= \"3.9\"  # pinned for py3\n")
                        elif kind == 2:
                            f.write(f"pkg.{n}==2.{n % 11} \\\n    --hash=sha256:{n:064x}\n")
                        elif kind == 3:
                            f.write(f"# note about pkg {n}\n")
                        else:
                            f.write(f"pkg-{n} === {n % 3}.1.0\n")
with open(os.path.join(root, "requirements", "groups", f"leaf-{groups - 1:02}-{leaves_per_group - 1}.txt"), "a") as f:
    f.write("gotrue==2.5.4\n")
