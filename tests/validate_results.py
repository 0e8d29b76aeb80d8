#!/usr/bin/env python3
"""validate_results.py - check result files against docs/result.schema.json with an
independent validator (python3-jsonschema, Draft 2020-12), not tppbench's own reader.

  validate_results.py SCHEMA [--invalid FILE]... FILE...

Every FILE must validate; every --invalid FILE must not (so the schema is shown to reject
what tppbench's reader rejects).  Exit 0 when all is as expected, 1 otherwise, 77 when
python3-jsonschema is not installed."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)


def main(argv):
    schema = json.load(open(argv[0]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    valid, invalid, i = [], [], 1
    while i < len(argv):
        if argv[i] == "--invalid":
            invalid.append(argv[i + 1])
            i += 2
        else:
            valid.append(argv[i])
            i += 1
    bad = 0
    for path in valid:
        errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: e.path)
        for e in errors[:3]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"FAIL {path}: {where}: {e.message[:200]}")
        bad += bool(errors)
        if not errors:
            print(f"ok   {path}")
    for path in invalid:
        if validator.is_valid(json.load(open(path))):
            print(f"FAIL {path}: valid, but tppbench's reader refuses it")
            bad += 1
        else:
            print(f"ok   {path} (rejected, as expected)")
    print(f"{len(valid)} valid, {len(invalid)} invalid checked; {bad} failures")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
