"""The shell in a real browser: home page in French, login, English switch, a phone's width."""

from tests.browser.conftest import login


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
