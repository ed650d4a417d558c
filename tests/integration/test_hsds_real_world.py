"""Packages of real directories through the import's command, with --dry-run (issue 20): each is previewed
with counts that match what its files hold, or refused for the reason its files give (tests/data/hsds-real/
README.md says which and why)."""

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

from interop.hsds import package
from interop.hsds.rows import UUID
from interop.hsds.validate import check_package

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
    # 1,510 contacts skipped and 2,018 unmapped terms: three of a kind said, the rest counted (was 3,562 lines)
    assert "… et 1462 autres lignes ignorées pour la même raison" in result.output
    assert len(result.output.splitlines()) < 100


def _left_out(output: str, file: str, code_words: str) -> int:
    """The count a note gives: « services.csv, champ organization_id : 340 service(s) dont … »."""
    line = next(line for line in output.splitlines() if f"{file}" in line and code_words in line)
    return int(re.search(r" : (\d+) ", line).group(1))


def test_illinois_legal_aid_is_previewed_with_what_it_left_out_said(app, reference, runner):
    """An extract of a larger directory (HSDS 1.1): 340 of its 430 services name an organisation it does not
    hold, one row is a stray line; they are left out, said with their counts, and the rest imports."""
    folder = REAL / "ilao" / "output"
    held = {name: _rows((folder / f"{name}.csv").read_bytes()) for name in ("organizations", "services")}
    result = runner.invoke(args=["hsds", "import", str(folder), "--territory", "mn", "--dry-run"])
    assert result.exit_code == 0, result.output[-2000:]
    orphans = _left_out(result.output, "services.csv", "dont l'organisation n'est pas dans le paquet")
    strays = _left_out(result.output, "services.csv", "sans aucune valeur hormis un renvoi")
    assert (held["services"], orphans, strays) == (430, 340, 1)
    assert f"Organisations: {held['organizations']} créé, 0 mis à jour" in result.output
    assert f"Services: {held['services'] - orphans - strays} créé, 0 mis à jour" in result.output
    assert "1325 heure(s) écrite(s) sans zéro initial (HSDS 1.x ou 2.0) : 9:00 lu comme 09:00" in result.output
    # 448 locations name an absent organisation: three said, the rest counted, not 2,000 lines
    assert "locations.csv, champ organization_id : … et 445 autres remarques du même genre" in result.output
    assert len(result.output.splitlines()) < 40


def test_health_leads_is_previewed_with_its_words_read(app, reference, runner):
    folder = REAL / "healthleads" / "package"
    held = {name: _rows((folder / f"{name}.csv").read_bytes()) for name in ("organizations", "services")}
    result = runner.invoke(args=["hsds", "import", str(folder), "--territory", "mn", "--dry-run"])
    assert result.exit_code == 0, result.output[-2000:]
    assert f"Organisations: {held['organizations']} créé" in result.output
    assert f"Services: {held['services']} créé" in result.output
    assert "statut « Available » (HSDS 1.x ou 2.0) : lu comme actif" in result.output
    # said where it is, and not counted as joined (third outside pass of issue 20)
    assert ("eligibility.csv, ligne 5, champ eligibility : valeur inutilisable laissée de côté (HSDS 1.x "
            "ou 2.0) : « -Anyone can visit") in result.output
    held = _rows((folder / "eligibility.csv").read_bytes())
    assert f"eligibility.csv : {held - 1} critère(s) d'admissibilité joint(s)" in result.output
    assert "1 lien(s) entre un service et un lieu absent du paquet" in result.output


def test_ohana_before_hsds_is_refused_for_what_its_files_say(app, reference, runner):
    result = runner.invoke(args=["hsds", "import", str(REAL / "ohana-smc" / "package"), "--territory", "mn",
                                 "--dry-run"])
    assert result.exit_code == 1 and "Refusé, rien n'a été importé" in result.output
    assert "services.csv, ligne 1, champ organization_id : colonne obligatoire absente" in result.output


def test_a_directory_imported_from_an_older_package_exports_valid_hsds_3_and_round_trips(app, reference, runner,
                                                                                          tmp_path):
    """ILAO's ids are not UUIDs (« 131321 »): kept as they came, they made our whole export fail frictionless and
    our own import (third outside pass of issue 20). Its records export under UUIDs; the package imported again
    and our export imported again change nothing."""
    folder = REAL / "ilao" / "output"
    assert runner.invoke(args=["hsds", "import", str(folder), "--territory", "mn"]).exit_code == 0
    exported = tmp_path / "export"
    assert runner.invoke(args=["hsds", "export", str(exported)]).exit_code == 0
    read_back = package.read_path(exported)
    assert check_package(read_back)[0] == []
    assert all(UUID.match(row.values["id"]) for row in read_back.rows("organization") + read_back.rows("service"))
    for source in (exported, folder):
        again = runner.invoke(args=["hsds", "import", str(source), "--territory", "mn", "--dry-run"])
        assert "Organisations: 0 créé, 0 mis à jour, 33 inchangé" in again.output, again.output[:800]
        assert "Services: 0 créé, 0 mis à jour, 89 inchangé" in again.output, again.output[:800]
    # One package naming a record by both its ids found it twice: « 2 mis à jour », the last row winning
    # unsaid (fourth outside pass). The second is skipped, said.
    both = tmp_path / "both"
    shutil.copytree(folder, both)
    first = next(csv.DictReader(io.StringIO((folder / "organizations.csv").read_text("utf-8"))))
    exported_id = next(row.values["id"] for row in read_back.rows("organization")
                       if row.values["name"] == first["name"])
    with (both / "organizations.csv").open("a", encoding="utf-8", newline="") as organisations:
        csv.DictWriter(organisations, fieldnames=list(first)).writerow({**first, "id": exported_id})
    twice = runner.invoke(args=["hsds", "import", str(both), "--territory", "mn", "--dry-run"])
    assert "Organisations: 0 créé, 0 mis à jour, 33 inchangé, 1 ignoré" in twice.output, twice.output[:800]
    assert "une autre ligne du paquet vise déjà cet enregistrement du répertoire" in twice.output
