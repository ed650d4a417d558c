"""The directory's pages, HTTP only (organisations.py: organisations and their services; people.py: people,
their jobs, ties and invitations; imports.py: the journal and CSV imports), and what they share. Who may read or
change what is referral.directory.service's, which asks referral.policy about the record as it is now: a
refused change is 403 and writes nothing, an unreadable record 404."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from referral.directory.service import Directory
from referral.graphdb import repo
from referral.policy import Principal


def current_directory() -> Directory:
    return Directory(Principal.of(current_user), repo, current_user.email)


def chosen_territory(territories: list[dict]) -> str:
    """The list's territory filter: the one asked for, else the user's own; "" for all of them."""
    selected = request.args.get("territoire", current_user.territory or "")
    return selected if selected in {t["id"] for t in territories} else ""


def showing_archived() -> bool:
    """The lists show the archived records instead of the open ones when asked (?archives=1)."""
    return request.args.get("archives") == "1"


def form_page(form, save, *, saved: str, page: str, key: str, template: str, **context):
    """The form's page until it is valid and `save()` wrote it; then `saved` is flashed and the saved record's
    page (`page` with `key` = the id `save` returned) shown. `save` returns None when it put an error on the
    form instead of writing."""
    if form.validate_on_submit():
        record_id = save()
        if record_id:
            flash(saved, "success")
            return redirect(url_for(page, **{key: record_id}))
    return render_template(template, form=form, **context)


def flash_errors(form) -> None:
    flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")


from referral.directory.routes import imports, organisations, people, upkeep  # noqa: E402,F401
