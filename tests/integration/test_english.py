"""The interface in English: once a user picks English, no sentence of the French catalogue that has an
English translation is left in the page (found by the outside pass on the profile, the password form and
the referral form). Checked against the catalogue itself, so a new page or string is covered too."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.integration.test_waves import TODAY, open_wave

CATALOGUE = Path(__file__).parents[2] / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PAGES = {
    "intervenant": ["/", "/profil/", "/profil/modifier", "/profil/mot-de-passe", "/references/",
                    "/references/nouvelle?to={receiver}", "/qui-appeler", "/reseau/"],
    "coordinator": ["/", "/repertoire/", "/repertoire/personnes", "/repertoire/journal", "/repertoire/import",
                    "/territoires/", "/territoires/mn/carte", "/hsds/import",
                    "/seances/", "/seances/mn-s1", "/seances/mn-s1/liens", "/seances/cohortes/nouvelle",
                    "/seances/mn-s1/modifier", "/repertoire/organisations/o-mn-01/archiver",
                    "/repertoire/personnes/p-002/archiver", "/repertoire/personnes/p-002/fusionner?q=a",
                    "/repertoire/personnes/p-002/fusionner/p-003"],
    "evaluator": ["/evaluation/", "/evaluation/vagues", "/evaluation/questionnaires", "/evaluation/definitions",
                  "/evaluation/vagues/{wave}"],
    "admin": ["/admin/comptes", "/territoires/nouveau", "/territoires/mn/limites",
              "/seances/cohortes/cohort-1/modifier"],
}


def _french_sentences() -> list[str]:
    """Catalogue entries long enough to be a sentence and translated into something else."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    return [m.id for m in catalogue if isinstance(m.id, str) and isinstance(m.string, str) and m.string
            and m.string != m.id and len(m.id) >= 16 and "%(" not in m.id and "<" not in m.id]


@pytest.mark.parametrize("role", PAGES)
def test_pages_in_english_hold_no_translated_french(demo, graph, client, auth, role):
    sentences = _french_sentences()
    assert len(sentences) > 200
    client.get("/langue/en")
    auth.as_role(role)
    receiver = next(p["id"] for p in demo.people if p["listed"] and p["kind"] == "intervenant"
                    and p["email"] != "intervenant@demo.reseau-ei.ca" and p["territory"] != "mn")
    wave = open_wave(graph, opens=TODAY + timedelta(days=3))["id"]  # its roster still editable: every form shown
    for url in (page.format(receiver=receiver, wave=wave) for page in PAGES[role]):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        text = html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
        text = re.sub(r"\s+", " ", text)
        left = [s for s in sentences if re.sub(r"\s+", " ", s) in text]
        assert not left, (url, left[:5])
