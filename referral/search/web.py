"""The search on the Flask side, shared by the page (routes.py) and GET /api/v1/contacts: the search
service for the logged-in user, and a search form run through it."""

from __future__ import annotations

import logging
import threading
from functools import partial

from flask import Flask, current_app, request
from flask_login import current_user

from graph.repositories.places import PlacesRepository
from referral.clock import local_now
from referral.geocode import locate
from referral.graphdb import repo
from referral.policy import Principal
from referral.search import service
from referral.search.forms import SearchForm
from referral.search.results import SearchPage
from referral.search.service import InvalidSearch, Search

log = logging.getLogger(__name__)


def searching() -> Search:
    """The search service for the logged-in user."""
    config = current_app.config
    return Search(Principal.of(current_user), repo, name=current_user.person_name, now=local_now(),
                  locate=partial(locate, postal_area=repo(PlacesRepository).postal_area, geocoder=config["GEOCODER"],
                                 timeout=config["GEOCODER_TIMEOUT"], server=config["GEOCODER_SERVER"]))


def search_form(search: Search) -> SearchForm:
    """The search the request's query string asks for (by default in the user's territory)."""
    return SearchForm(request.args, territories=search.territories(), default_territory=current_user.territory)


def run(form: SearchForm, search: Search) -> SearchPage | None:
    """The form's checks, then the service's: one page of results, or None with every fault on its
    field (what the data say of the need and the postal code too when the form has other faults)."""
    if not form.validate():
        form.add_errors(search.faults(None if form.need.errors else form.need.data,
                                      None if form.near.errors else form.near_text))
        return None
    try:
        return search.run(form.question())
    except InvalidSearch as invalid:
        form.add_errors(invalid.fields)
        return None


def warm_on_first_request(app: Flask) -> None:
    """At the app's first request (a server's, not a command's), plan the search's statements in the
    background: on a Neo4j just started, the first search of each kind waited 1 to 10 s for them."""
    started = app.extensions.setdefault("search_warmed", threading.Event())
    if not app.config["WARM_SEARCH"] or started.is_set():
        return
    started.set()  # two first requests at once may both start one: harmless
    database, today = app.config["NEO4J_DATABASE"], local_now().date()  # the thread has no app context

    def work() -> None:
        try:
            service.warm(lambda cls: cls(app.extensions["neo4j"], database), today)
        except Exception:  # noqa: BLE001 — Neo4j not ready: the first searches plan them instead
            log.exception("warming the search's plans failed")

    threading.Thread(target=work, name="search-warm", daemon=True).start()
