"""The home page, the language switch and the health check: HTTP only (referral/main/service.py)."""

from datetime import timedelta

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from referral.clock import local_now, today, utc_now
from referral.directory.journal import Journal, JournalFilters
from referral.graphdb import repo
from referral.main import bp
from referral.main.service import Overview
from referral.notify.service import Notices
from referral.policy import ADMIN, COORDINATOR, EVALUATOR, Principal
from referral.referrals.web import referrals
from referral.security import local_target


@bp.route("/")
def index():
    """Each role lands on its own page: an intervenant.e on who to call and their referrals, a coordinator on
    their territories and what changed this week, an admin on that and the accounts, an evaluator on the
    comparisons; a visitor on the six territories."""
    if not current_user.is_authenticated:
        territories = Overview(repo).territories()
        return render_template("main/index.html", territories=territories, totals=Overview.totals(territories))
    if current_user.role == EVALUATOR:
        return redirect(url_for("evaluation.index"))
    if current_user.role in (COORDINATOR, ADMIN):
        journal = Journal(Principal.of(current_user), repo)
        week = JournalFilters(since=today() - timedelta(days=6))  # Montréal's days, as the journal's filter
        return render_template("main/coordination.html", territories=journal.territories(),
                               changes=journal.entries(week), week=week)
    if current_user.person_id and current_user.may_refer:
        # An intervenant.e's day starts here: who to call, then what waits for them, then what they sent.
        service = referrals()
        boxes = service.under_way()
        g.to_handle = len(boxes["received"])  # the menu's count, read already
        return render_template("main/home.html", boxes=boxes, stale_ids={
            r["id"] for rows in boxes.values() for r in rows if service.is_stale(r)})
    territories = Overview(repo).territories()
    return render_template("main/index.html", territories=territories, totals=Overview.totals(territories))


@bp.route("/langue/<code>", methods=["POST", "GET"])
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.person_id:  # their e-mails speak it too
            Notices(repo, utc_now(), local_now().date()).speak(current_user.person_id, code)
    referrer = request.referrer or ""
    back = "/" + referrer.removeprefix(request.host_url) if referrer.startswith(request.host_url) else None
    return redirect(local_target(request.args.get("next")) or local_target(back) or url_for("main.index"))


@bp.route("/sante")
def health():
    """For load balancers and scripts: 200 when Neo4j answers, 503 (via the error handler) when not."""
    Overview(repo).check_database()
    return {"status": "ok"}
