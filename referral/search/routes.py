"""« Qui appeler ? » pages: HTTP only. The search's rules are referral/search/service.py's."""

from functools import partial

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from referral import policy
from referral.auth.users import role_required
from referral.search import bp, web
from referral.search.forms import ALL_TERRITORIES, MAX_KM, SearchForm
from referral.search.hours import LANGUAGES, in_words
from referral.search.reasons import connection
from referral.search.service import Search


def _link(**changes) -> str:
    """The current search with some parameters changed (and back to page 1)."""
    args = {k: v for k, v in request.args.items() if k != "page"}
    args.update(changes)
    return url_for("search.search", **{k: v for k, v in args.items() if v not in ("", None)})


def widen_suggestions(form: SearchForm) -> list[tuple[str, str]]:
    """One-click ways to widen a search that found nobody."""
    suggestions = []
    if form.territory_id:
        suggestions.append((_("Chercher dans tous les territoires"), _link(territory=ALL_TERRITORIES)))
    if form.language.data:
        suggestions.append((_("Sans filtre de langue"), _link(language="")))
    if form.max_km.data is not None:
        if form.max_km.data < MAX_KM:
            wider = min(MAX_KM, form.max_km.data * 2)
            suggestions.append((_("Jusqu'à %(km)s km", km=f"{wider:g}"), _link(max_km=f"{wider:g}")))
        suggestions.append((_("Sans limite de distance"), _link(max_km="")))
    if form.open_now.data:
        suggestions.append((_("Même si c'est fermé en ce moment"), _link(open_now="")))
    return suggestions


def _hours_words(searching: Search):
    """Opening hours in words, now and in the page's language (one text, or a person's services')."""
    return partial(in_words, at=searching.now, language=str(get_locale()))


@bp.route("/qui-appeler")
@role_required(*policy.WORKERS)
def search():
    searching = web.searching()
    form = web.search_form(searching)
    page = web.run(form, searching) if "need" in request.args else None
    open_now = page is not None and bool(form.open_now.data)
    return render_template(
        "search/search.html", form=form, page=page, needs=searching.needs(),
        suggestions=widen_suggestions(form) if page is not None and page.total == 0 else [],
        page_link=lambda number: _link(page=number), hours_words=_hours_words(searching), open_now=open_now,
        closed_now=searching.closed_now(form.question(), page) if open_now else None,
        at_any_hour=_link(open_now=""), family_languages=LANGUAGES,
    )


@bp.route("/contacts/<person_id>")
@role_required(*policy.WORKERS)
def card(person_id: str):
    searching = web.searching()
    contact = searching.card(person_id)
    return render_template("search/card.html", contact=contact, connection=connection(contact),
                           today=searching.today, is_me=person_id == current_user.person_id,
                           share_url=url_for("search.card", person_id=person_id, _external=True),
                           hours_words=_hours_words(searching))
