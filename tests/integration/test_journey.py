"""The issue's "done when", as a new user would do it in the pages of the demo:
search « santé mentale » in Montréal-Nord for an Arabic-speaking family, get named people with
reasons, refer one, log in as that person, accept, and see the new tie."""

import re

from seed.demo.network import DEMO_PASSWORDS


def test_search_refer_accept_and_the_network_grows(demo, demo_network, client, auth, graph):
    auth.as_role("intervenant")
    me = next(u for u in demo_network.users if u["email"] == "intervenant@demo.reseau-ei.ca")["person"]
    me_name = next(p["name"] for p in demo_network.people if p["id"] == me)

    # 1. Search.
    results = client.get("/qui-appeler", query_string={"need": "santé mentale", "territory": "mn", "language": "ar"})
    html = results.get_data(as_text=True)
    assert results.status_code == 200 and "On cherche : Santé mentale" in html
    first = re.search(r'<a href="/contacts/([^"?]+)[^"]*">([^<]+)</a>', html)
    person_id, name = first.group(1), first.group(2)
    following = html.find('<li class="card contact', first.start())
    card = html[first.start():following if following > 0 else html.index("</ol>")]
    assert "Parle arabe" in card and "Expertise : santé mentale" in card and "km de votre organisme" in card
    assert "tel:" in card and "mailto:" in card

    # 2. Refer them from the result.
    refer_link = re.search(r'href="(/references/nouvelle\?[^"]+)"', card).group(1).replace("&amp;", "&")
    form = client.get(refer_link).get_data(as_text=True)
    assert "Ne nommez pas la famille" in form
    key = re.search(r'name="request_key" type="hidden" value="([^"]+)"', form).group(1)
    sent = client.post("/references/nouvelle", data={
        "to": person_id, "need": "mental-health", "language": "ar", "urgency": "normal",
        "note": "Famille arrivée cet été, deux enfants au primaire.", "request_key": key})
    assert sent.status_code == 302
    referral_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f"Bonjour {name.split()[0]}," in referral_page and "Copier le message" in referral_page
    referral_id = sent.headers["Location"].rsplit("/", 1)[1]
    auth.logout()

    # 3. Log in as that person, with their own e-mail and the documented demo password.
    email = next(p["email"] for p in demo_network.people if p["id"] == person_id)
    assert auth.login(email, DEMO_PASSWORDS["intervenant"]).status_code == 302
    inbox = client.get("/references/").get_data(as_text=True)
    assert f"/references/{referral_id}" in inbox and me_name in inbox

    # 4. Accept it.
    accepted = client.post(f"/references/{referral_id}/statut", data={"status": "accepted"}, follow_redirects=True)
    page = accepted.get_data(as_text=True)
    assert "Référence mise à jour : acceptée" in page and f"Vous êtes maintenant en lien avec {me_name}" in page

    # 5. The new tie: in the graph, and in « Mon réseau » under "Par une référence".
    records, _, _ = graph.execute_query(
        "MATCH (:Person {id: $a})-[k:KNOWS]-(:Person {id: $b}) RETURN k.origin AS origin, k.level AS level",
        a=me, b=person_id)
    assert [(r["origin"], r["level"]) for r in records] == [("referral", "networking")]
    network = client.get("/reseau/").get_data(as_text=True)
    section = network[network.index("Par une référence"):]
    assert me_name in section[:section.index("</section>")]
