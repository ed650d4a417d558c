"""The shell in a real browser: home page in French, login, English switch, a phone's width."""

from tests.browser.conftest import login
from tests.browser.test_journeys import logout


def test_home_login_language_and_phone(demo, live_server, page, phone, steps):
    page.goto(live_server)
    assert page.get_by_role("heading", level=1).inner_text() == "Qui appeler pour cette famille ?"
    assert page.get_by_text("Données fictives").is_visible()
    assert page.locator(".territories li").count() == 6
    steps.shot(page, "accueil")

    login(page, live_server, "admin@demo.reseau-ei.ca", "demo-admin")
    assert page.get_by_role("button", name="Déconnexion").is_visible()
    steps.shot(page, "connecte")

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    steps.shot(page, "english")

    phone.goto(live_server)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the home page must not scroll sideways on a phone"
    steps.shot(phone, "telephone")


def test_wrong_password_shows_a_message(demo, live_server, page):
    login(page, live_server, "admin@demo.reseau-ei.ca", "mauvais")
    assert page.get_by_role("alert").inner_text() == "Courriel ou mot de passe incorrect."


def test_profile_and_accounts_fit_a_phone(demo, live_server, phone, steps):
    """Found by the outside pass: at 390 px /profil/ (with an API token listed) was 435 px wide, its facts
    squeezed to 37 px, and /admin/comptes 702 px."""
    login(phone, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    phone.goto(f"{live_server}/profil/")
    phone.get_by_text("Accès pour d'autres outils (avancé)").click()
    phone.get_by_role("button", name="Créer un nouveau jeton").click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server}/profil/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    widths = phone.evaluate("[...document.querySelectorAll('.facts dd')].map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 150, widths
    steps.shot(phone, "profil")
    logout(phone)
    login(phone, live_server, "admin@demo.reseau-ei.ca", "demo-admin")
    phone.goto(f"{live_server}/admin/comptes")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    steps.shot(phone, "comptes")
