"""The HSDS exchange as plain functions taking the repository: used by the CLI, the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale

from graph.repositories.hsds import HsdsRepository
from interop.hsds import export, package, validate
from interop.hsds.errors import PackageError, Problem
from interop.hsds.plan import ImportOptions, Plan, plan_import
from referral.labels import KIND_LABELS, LANGUAGE_LABELS, ROLE_LABELS, SECTOR_LABELS
from seed.reference.taxonomy import NEEDS
from seed.reference.territories import territory_rows

TITLE = "Réseau EI — répertoire (HSDS 3)"


def labels() -> dict:
    """Code -> label tables, always in French: the export must not depend on who asks for it."""
    with force_locale("fr"):
        return {name: {code: str(text) for code, text in table.items()} for name, table in (
            ("sectors", SECTOR_LABELS), ("kinds", KIND_LABELS), ("roles", ROLE_LABELS),
            ("languages", LANGUAGE_LABELS))}


def export_tables(repository: HsdsRepository) -> dict[str, list[dict]]:
    return export.build_tables(repository.directory(listed_only=True), labels())


@dataclass
class Preview:
    """A package read, checked and planned: what confirming would write."""

    plan: Plan
    warnings: list[Problem] = field(default_factory=list)


def preview(data: package.Package, repository: HsdsRepository, options: ImportOptions) -> Preview:
    """Raises PackageError (file, row, field of each problem) when the package cannot be imported."""
    errors, warnings = validate.check_package(data)
    if errors:
        raise PackageError(errors)
    plan = plan_import(data, _with_reference_data(repository.import_state()), options, labels())
    return Preview(plan, warnings + plan.warnings)


def _reference_rows() -> dict[str, list[dict]]:
    return {"territories": territory_rows(), "needs": [vars(n) for n in NEEDS]}


def _with_reference_data(state: dict) -> dict:
    """An import writes the six territories and the needs when the graph lacks them: plan with them."""
    for name, rows in _reference_rows().items():
        known = {row["id"] for row in state[name]}
        state[name] = state[name] + [row for row in rows if row["id"] not in known]
    return state


def apply(result: Preview, repository: HsdsRepository, options: ImportOptions, user: str) -> dict:
    """All or nothing: the reference territories and needs (when missing) and the planned records, each
    record in the journal as `user`'s change."""
    plan = result.plan
    rows = {**_reference_rows(), "organisations": plan.organisations, "services": plan.services,
            "people": plan.people}
    return repository.apply_import(rows, options.source, user)
