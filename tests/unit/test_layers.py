"""The layers a reader relies on (docs/architecture.md), checked from the sources: a service holds the rules
without Flask or HTTP; pages, forms and the API call no repository; the network analysis and the exchange
formats know no database and no web framework; the Neo4j layer knows no web."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return modules | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def _importing(pattern: str, *prefixes: str) -> list[str]:
    """Modules under `pattern` that import any module starting with one of `prefixes`."""
    return sorted(f"{path.relative_to(ROOT)}: {module}" for path in ROOT.glob(pattern) for module in _imports(path)
                  if module.split(".")[0] in prefixes or module.startswith(prefixes))


def test_every_web_area_has_a_service_without_flask_or_http():
    areas = {p.parent for p in ROOT.glob("referral/*/routes*") if p.name in ("routes.py", "routes")}
    services = sorted(ROOT.glob("referral/*/service.py"))
    assert {p.parent for p in services} == areas - {ROOT / "referral/api"}  # the API serves the areas' services
    # A service says why it refuses (referral/service_errors.py), never with which status.
    assert _importing("referral/*/service.py", "flask", "flask_babel", "flask_login", "flask_wtf",
                      "werkzeug.exceptions", "referral.errors") == []
    # Nor the driver's exceptions: a repository says what a refused write means (AccountTaken, EmailTaken…).
    assert _importing("referral/**/*.py", "neo4j") == [
        "referral/cli.py: neo4j.exceptions", "referral/errors.py: neo4j.exceptions"]  # « Neo4j is down », said


def test_pages_forms_and_the_api_call_no_repository():
    pages = [p for p in ROOT.glob("referral/**/*.py") if "@bp.route" in p.read_text(encoding="utf-8")]
    assert len(pages) > 15  # the pattern still finds the route modules
    for path in [*pages, *ROOT.glob("referral/*/forms.py")]:
        assert "repo(" not in path.read_text(encoding="utf-8"), path.relative_to(ROOT)


def test_analysis_and_interop_know_no_database_and_no_web():
    assert _importing("analysis/**/*.py", "graph", "neo4j", "flask", "referral") == []
    # The HSDS import plan asks the one authorisation policy (pure Python) about each record.
    assert _importing("interop/**/*.py", "graph", "neo4j", "flask") == []
    assert {m for p in ROOT.glob("interop/**/*.py") for m in _imports(p) if m.startswith("referral")} == {"referral"}


def test_the_neo4j_layer_knows_no_web():
    assert _importing("graph/**/*.py", "flask", "referral", "werkzeug") == []
