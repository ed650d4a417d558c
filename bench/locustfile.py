"""The load test's users, for Locust (run by bench/load_test.py, which starts the server and gives the
accounts in LOAD_ACCOUNTS, a JSON file). Loopback only; Locust bounds the time (-t).

Who, in which proportions (a territory's morning, or a co-development session trying it at once):
- 8 in 10 are intervenant.es with an API token: search « Qui appeler ? » (GET /api/v1/contacts), refer a
  family to the first person found one time in three (POST /api/v1/referrals), then read their sent box;
- 1 in 10 is a coordinator, logged in on the site: the territory's map page and its map document;
- 1 in 10 is an evaluator, logged in on the site: the evaluation's comparisons and one territory's.
How fast they ask: LOAD_PACE, the requests per second each user offers — bench/load_test.py sets it from
the rate it offers in all. After a round of k requests a user waits until k / LOAD_PACE seconds have passed
since the round began (at once when late): a round without a referral (a search that found nobody) asks
less, and waits less, so the offered rate is the one said. 0: no think time, each user asks again as soon
as answered (a closed loop: requests per second then measure what the server can answer, and the wait
grows with the number of users).
"""

from __future__ import annotations

import json
import os
import random
import re
import time

from locust import FastHttpUser, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
PACE = float(os.environ.get("LOAD_PACE") or 0)
NEEDS = ACCOUNTS["needs"]
LANGUAGES = [None, None, "ar", "es", "en"]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class Paced(FastHttpUser):
    """A user whose rounds are spaced by the requests they made (see LOAD_PACE above). Locust's
    FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares the server's
    two cores, and requests' client took 0.9–1.4 ms of its CPU per request (docs/benchmarks.md, 2026-12-05),
    this one 0.5–0.7 ms."""

    abstract = True
    asked, began = 0, 0.0
    headers: dict = {}

    def ask(self, method: str, path: str, **kwargs):
        if not self.asked:
            self.began = time.monotonic()
        self.asked += 1
        return self.client.request(method, path, headers=self.headers, **kwargs)

    def wait_time(self) -> float:
        due = self.began + self.asked / PACE if PACE > 0 else 0.0
        self.asked = 0
        return max(0.0, due - time.monotonic())


class Intervenant(Paced):
    weight = 8

    def on_start(self) -> None:
        account = random.choice(ACCOUNTS["intervenants"])
        self.territory = account["territory"]
        self.headers = {"Authorization": f"Bearer {account['token']}", "Accept": "application/json"}

    @task
    def search_and_sometimes_refer(self) -> None:
        query = {"need": random.choice(NEEDS), "territory": random.choice([self.territory, self.territory, "all"])}
        if language := random.choice(LANGUAGES):
            query["language"] = language
        found = self.ask("GET", "/api/v1/contacts", params=query, name="search")
        results = found.json().get("results") if found.ok else None
        if results and random.random() < 1 / 3:
            self.ask("POST", "/api/v1/referrals", name="refer",
                     json={"to": results[0]["id"], "need": "mental-health", "urgency": "normal"})
            self.ask("GET", "/api/v1/referrals?box=sent", name="box")


class SiteUser(Paced):
    """A person on the site, logged in with the login form (its CSRF token read from the page)."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        account = ACCOUNTS[self.role]
        page = self.client.get("/connexion", name="login page").text
        self._plain_http_cookies()
        token = next(g for g in CSRF.search(page).groups() if g)
        self.client.post("/connexion", name="login", allow_redirects=False,
                         data={"csrf_token": token, "email": account["email"], "password": account["password"]})
        self._plain_http_cookies()

    def _plain_http_cookies(self) -> None:
        """Production cookies are Secure; on loopback without TLS, the client must send them all the same
        (a browser treats 127.0.0.1 as secure; Python's cookie jar does not)."""
        for cookie in self.client.cookiejar:
            cookie.secure = False


class Coordinator(SiteUser):
    weight = 1
    role = "coordinator"

    @task
    def map(self) -> None:
        self.ask("GET", "/territoires/mn/carte", name="map page")
        self.ask("GET", "/territoires/mn/carte/plan", name="map document")


class Evaluator(SiteUser):
    weight = 1
    role = "evaluator"

    @task
    def comparisons(self) -> None:
        self.ask("GET", "/evaluation/", name="evaluation")
        self.ask("GET", "/evaluation/mn", name="evaluation of a territory")
