"""What an import will do, decided before anything is written: rows to write, and a preview of
what is created, updated, left unchanged or skipped (and why), which taxonomy terms map to no need.

A package record matches one of ours when its HSDS id is the one we export for it (the uuid5 of our
id) or the one it was imported with; new records get ids derived from their HSDS id, so importing
the same package twice writes the same nodes: the second time, nothing changes.

Each record is checked by referral.policy against the record it would change as the directory holds it
now (an organisation where it is located, a service by its organisation's territory, a contact by the
territories they work in): a package reusing another territory's id is skipped for that record, it does
not move it.
"""

from __future__ import annotations

from interop.hsds.export import OWNER_KINDS, hsds_id
from interop.hsds.package import Package
from interop.hsds.plan_organisations import plan_organisations
from interop.hsds.plan_services import plan_people, plan_services
from interop.hsds.planning import ImportOptions, PackageIndex, Plan


def plan_import(package: Package, state: dict, options: ImportOptions, labels: dict) -> Plan:
    """`state`: our directory as the repository reads it (organisations, services, people with their
    ids and hsds_id, needs, territories, term mappings). `labels`: roles and languages, code -> label."""
    plan = Plan()
    index = PackageIndex(package)
    # a record is found by the id our export gives it, and by the one it was imported with (a package written
    # before HSDS 3 imported again: its ids are not UUIDs, the export's are)
    existing = {kind: {key: r for r in state[f"{kind}s" if kind != "person" else "people"]
                       for key in {hsds_id(kind, r), r.get("hsds_id")} if key}
                for kind in OWNER_KINDS}
    planned_orgs = plan_organisations(plan, index, existing["organisation"], state["territories"], options, labels)
    located = {o["id"]: o.get("territory") for o in state["organisations"]}
    plan_services(plan, index, existing["service"], planned_orgs, state, labels, options.principal, located)
    plan_people(plan, index, existing["person"], planned_orgs, state, labels, options.principal, located)
    return plan
