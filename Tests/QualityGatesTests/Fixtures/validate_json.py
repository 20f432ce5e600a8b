"""Validates JSON reports against docs/report.schema.json; prints each error and exits 1 on any."""
import json
import sys

from jsonschema import Draft202012Validator

schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
failed = False
for path in sys.argv[2:]:
    for error in Draft202012Validator(schema).iter_errors(json.load(open(path))):
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        failed = True
sys.exit(1 if failed else 0)
