"""Open Referral HSDS 3: the directory out (export) and in (import), without Flask or Cypher.

- `export.build_tables(directory, labels, shapes)`: our plain directory dicts (and the territories' polygons)
  -> flat HSDS records per table;
- `package`: the CSV tabular package (+ datapackage.json) and the nested JSON, read and written;
- `validate`: jsonschema against the shipped schemas, tabular checks, references between tables;
- `mapping`: taxonomy terms -> our needs, sector and kind defaults, HSDS 2.0 names;
- `plan.plan_import(...)`: what an import will create, update and skip, and why (`planning`: the plan and
  the package index it fills; `plan_organisations`, `plan_services`: each kind of record).
"""
