"""Writes N TypeScript files into OUT/src, each holding one of GitHub's own example operations
(shared/bench/github-ops/platform-samples, the ones that still validate against GitHub's schema)
as an Apollo `gql` template among ordinary code. Operation and fragment names get the file's
number, so no two files define the same name. usage: generate_graphql_frontend.py SCHEMA OPS OUT N"""
import os
import re
import sys

from graphql import build_schema, parse, validate

schema_path, ops_folder, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
schema = build_schema(open(schema_path).read(), assume_valid_sdl=True)
valid = []
for name in sorted(os.listdir(ops_folder)):
    text = open(os.path.join(ops_folder, name)).read()
    try:
        if not validate(schema, parse(text)):
            valid.append(text)
    except Exception:  # GitHub's examples that no longer parse are left out, as SOURCES.md says
        pass
os.makedirs(os.path.join(out, "src"), exist_ok=True)
for index in range(count):
    text = valid[index % len(valid)]
    # Unique names: operations and fragments get the file's number (comment lines left alone).
    lines = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            line = re.sub(r"\b(query|mutation|subscription)\s+([A-Za-z_]\w*)", lambda m: f"{m.group(1)} {m.group(2)}_{index}", line)
            line = re.sub(r"\bfragment\s+([A-Za-z_]\w*)\s+on\b", lambda m: f"fragment {m.group(1)}_{index} on", line)
            line = re.sub(r"\.\.\.\s*([A-Za-z_]\w*)", lambda m: m.group(0) if m.group(1) == "on" else f"...{m.group(1)}_{index}", line)
        lines.append(line)
    text = "\n".join(lines).replace("`", "'")
    with open(os.path.join(out, "src", f"screen{index:04d}.ts"), "w") as handle:
        handle.write(f"""import {{ gql, useQuery }} from '@apollo/client';
// Screen {index}: a component's data needs. A `backtick` in a comment is not a template.
const LABEL = 'screen {index}';
export const OPERATION_{index} = gql`
{text}
`;
export function useScreen{index}(variables: Record<string, unknown>) {{
  const pattern = /gql`[^`]*`/g;
  return useQuery(OPERATION_{index}, {{ variables, context: {{ label: `${{LABEL}} (${{pattern.source.length}})` }} }});
}}
""")
print(len(valid), "valid operations of", len(os.listdir(ops_folder)))
