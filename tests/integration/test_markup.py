"""Every page without a parameter, as each role that may open it: no attribute written "None", no 500."""

import pytest

from referral.policy import MAINTAINERS


def pages(app) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if "GET" in r.methods and "<" not in r.rule and not r.rule.startswith(("/api", "/static")))


@pytest.mark.parametrize("role", ["intervenant", "coordinator", "evaluator", "admin"])
def test_no_attribute_says_none(app, demo, client, auth, role):
    """Found by the outside pass: fields carried aria-describedby="None" aria-invalid="None"."""
    auth.as_role(role)
    opened = 0
    for page in pages(app):
        response = client.get(page)
        assert response.status_code < 500, page
        if response.status_code == 200 and response.mimetype == "text/html":
            opened += 1
            assert '="None"' not in response.get_data(as_text=True), (role, page)
    assert opened >= (15 if role in MAINTAINERS else 8)
    # A form sent empty shows its errors, still without "None".
    html = client.post("/profil/mot-de-passe", data={}).get_data(as_text=True)
    assert 'aria-invalid="true"' in html and '="None"' not in html
