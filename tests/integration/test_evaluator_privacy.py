"""What an evaluator sees of the territories on the demo: the research sample only, under the keyed
pseudonyms of the evaluation's exports, never a name, never an organisation beside a person, and no
small count between organisations. Coordinators keep their view."""

import csv
import io
import re

import pytest

from referral import clock
from tests.map_helpers import map_tooltips

PSEUDONYM = re.compile(r"\bP-[0-9a-f]{12}\b")
POSITION_LABEL = re.compile(r"\bP\d{2}\b")
# The elements of the page that speak of one person: list items, table rows, SVG titles and labels.
PERSON_ELEMENTS = re.compile(r"<(li|tr|title|text)\b[^>]*>(.*?)</\1>", re.S)
SMALL_COUNT = re.compile(r": [1-4] (lien|référence)")


def _intervenants_by_territory(demo) -> dict[str, list[dict]]:
    """The demo's intervenant.es working today, by territory of their organisation."""
    territory_of = {o["id"]: o["territory"] for o in demo.organisations}
    people = {p["id"]: p for p in demo.people}
    today = clock.today()
    found: dict[str, list[dict]] = {}
    for job in demo.works_at:
        if job["until"] is None or job["until"] > today:
            found.setdefault(territory_of[job["organisation"]], []).append(people[job["person"]])
    return found


def _exported_pseudonyms(client, scope: str) -> set[str]:
    """The people of the evaluation export's "now" snapshot of the scope."""
    response = client.get(f"/evaluation/{scope}/export/nodes.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    return {row["id"] for row in rows if row["in_now"].lower() == "true"}


def _evaluator_pages(client, territory: str) -> dict[str, str]:
    pages = {}
    for url in ("/territoires/", "/territoires/carte", f"/territoires/{territory}/carte",
                f"/territoires/{territory}/carte/plan"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    return pages


@pytest.fixture
def territories_with_refusals(demo):
    """The territories where someone working today refused research: where the old view leaked."""
    found = {t: people for t, people in _intervenants_by_territory(demo).items()
             if any(not p["research_consent"] for p in people)}
    assert found, "the demo should hold people without research consent"
    return found


def test_evaluator_sees_the_sample_under_the_exports_pseudonyms(demo, client, auth, territories_with_refusals):
    auth.as_role("evaluator")
    names = [p["name"] for p in demo.people]
    organisation_names = [o["name"] for o in demo.organisations]
    for territory, people in territories_with_refusals.items():
        pages = _evaluator_pages(client, territory)
        for url, html in pages.items():
            assert not [name for name in names if name in html], url
            assert not POSITION_LABEL.search(html), url
        page = pages[f"/territoires/{territory}/carte"]
        shown = set(PSEUDONYM.findall(page))
        exported = _exported_pseudonyms(client, territory)
        consenting = [p for p in people if p["research_consent"]]
        refused = len(people) - len(consenting)
        assert refused >= 1
        # Exactly the sample: every consenting person, under the export's pseudonym, and nobody else.
        assert shown == exported
        assert len(shown) == len(consenting) == len(people) - refused
        assert re.search(rf"<dt>Intervenant.es</dt><dd>{len(consenting)}</dd>", page)
        for _tag, inner in PERSON_ELEMENTS.findall(page):
            if PSEUDONYM.search(inner):
                assert not [o for o in organisation_names if o in inner], inner
        assert not PSEUDONYM.search(pages[f"/territoires/{territory}/carte/plan"])  # organisations only


def test_evaluator_map_tells_no_small_count(demo, client, auth):
    auth.as_role("evaluator")
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    tooltips = map_tooltips(document)
    counted = [t for t in tooltips if "lien" in t or "référence" in t]
    assert counted
    assert not [t for t in counted if SMALL_COUNT.search(t)]
    assert any("moins de 5" in t for t in counted)
    auth.logout()
    auth.as_role("coordinator")
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    tooltips = map_tooltips(document)
    assert any(SMALL_COUNT.search(t) for t in tooltips)  # coordinators keep the exact counts


def test_coordinator_keeps_names_and_organisations(demo, client, auth, territories_with_refusals):
    auth.as_role("coordinator")
    people = _intervenants_by_territory(demo)["mn"]
    html = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert not PSEUDONYM.search(html)
    # Everyone working in the territory is drawn, consenting to research or not.
    assert re.search(rf"<dt>Intervenant.es</dt><dd>{len(people)}</dd>", html)
    refused = [p for p in people if not p["research_consent"]]
    assert refused and all(p["name"] in html for p in refused)


def test_evaluator_never_sees_the_sector_of_an_organisation_alone_in_it(demo, client, auth):
    """Found by the outside pass: « Institutionnel » beside a pseudonym named the territory's only
    institution. Such a sector is shown as « autre secteur », in the list and in the drawing's colours."""
    from referral.labels import SECTOR_LABELS
    from referral.territories.maps import SECTOR_COLOURS

    auth.as_role("evaluator")
    checked = 0
    for territory in {o["territory"] for o in demo.organisations}:
        sectors = [o["sector"] for o in demo.organisations if o["territory"] == territory]
        alone = [s for s in set(sectors) if sectors.count(s) == 1]
        html = client.get(f"/territoires/{territory}/carte").get_data(as_text=True)
        for _tag, inner in PERSON_ELEMENTS.findall(html):
            if PSEUDONYM.search(inner):
                for sector in alone:
                    checked += 1
                    assert str(SECTOR_LABELS[sector]) not in inner, (territory, inner)
        for sector in alone:
            assert f'fill="{SECTOR_COLOURS[sector]}"' not in html, (territory, sector)
    assert checked, "the demo should have a sector held by one organisation in some territory"
