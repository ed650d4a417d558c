"""Packages of real directories through the import's command, with --dry-run (issue 20): each is previewed
with counts that match what its files hold, or refused for the reason its files give (tests/data/hsds-real/
README.md says which and why)."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1] / "data" / "hsds-real"


def _rows(data: bytes) -> int:
    return sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_open211_miami_is_previewed_with_the_counts_its_files_hold(app, reference, runner, graph):
    app.config["IMPORT_MAX_ROWS"] = 100_000  # 71,000 rows in all: over the default bound, which the page keeps
    package = REAL / "miami-open211" / "datapackage.zip"
    with zipfile.ZipFile(package) as archive:
        held = {name: _rows(archive.read(f"data/{name}.csv")) for name in ("organizations", "services")}
    before = graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    result = runner.invoke(args=["hsds", "import", str(package), "--territory", "mn", "--dry-run"])
    assert result.exit_code == 0, result.output[-2000:]
    assert f"Organisations: {held['organizations']} créé, 0 mis à jour" in result.output
    assert f"Services: {held['services']} créé, 0 mis à jour" in result.output
    # what was completed or left out is said, once per file and column
    assert "adresse(s) web sans https:// : complétée(s)" in result.output
    assert "service(s) sans statut (HSDS 1.x ou 2.0) : lu(s) comme actif(s)" in result.output
    assert "valeur inutilisable laissée de côté (HSDS 1.x ou 2.0) : « 1220 NW 24th Avenue »" in result.output
    assert "Essai : rien n'a été écrit." in result.output
    assert graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == before


@pytest.mark.parametrize("folder, said", [
    ("ilao/output", "services.csv, ligne 431, champ id : champ obligatoire vide"),
    ("healthleads/package", "services.csv, ligne 2, champ status : valeur non permise : « Available »"),
    ("ohana-smc/package", "services.csv, ligne 1, champ organization_id : colonne obligatoire absente"),
])
def test_the_others_are_refused_for_what_their_files_say(app, reference, runner, folder, said):
    result = runner.invoke(args=["hsds", "import", str(REAL / folder), "--territory", "mn", "--dry-run"])
    assert result.exit_code == 1 and "Refusé, rien n'a été importé" in result.output
    assert said in result.output, result.output[:1500]
