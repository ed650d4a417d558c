"""Network survey waves: evaluators and coordinators open them; members of the roster answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.repositories.waves import WaveError, WaveRepository
from referral import policy
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.evaluation import bp, services
from referral.evaluation.forms import AnswerForm, RuleForm, WaveForm
from referral.evaluation.presentation import scope_name
from referral.graphdb import repo


def _scope_choices() -> list[tuple[str, str]]:
    """The groups the user may open a wave for (never the whole network at once)."""
    principal = policy.Principal.of(current_user)
    scopes = [s for s in services.scopes().values()
              if s.kind != "all" and policy.may_survey(principal, s.territory_ids)]
    return [(s.id, scope_name(s)) for s in scopes]


@bp.route("/vagues", methods=["GET", "POST"])
@role_required(*policy.EVALUATION)
def waves():
    form = WaveForm()
    form.scope.choices = _scope_choices()
    if request.method == "GET":
        form.opens.data = date.today()
    if form.validate_on_submit():
        scope = services.get_scope(form.scope.data)
        try:
            wave = repo(WaveRepository).create(
                title=form.title.data.strip(), scope=scope.id, territories=scope.territory_ids,
                opens=form.opens.data, closes=form.closes.data, roster_rule=form.roster_rule.data,
                created_by=current_user.id,
            )
        except WaveError:
            form.scope.errors.append(_("Moins de deux membres de ce groupe ont consenti à la recherche : "
                                       "impossible d'ouvrir une vague."))
        else:
            flash(_("Vague ouverte : %(n)s membres peuvent répondre jusqu'au %(d)s.", n=wave["roster"],
                    d=wave["closes"].isoformat()), "success")
            return redirect(url_for("evaluation.wave", wave_id=wave["id"]))
    names = {s.id: scope_name(s) for s in services.scopes().values()}
    return render_template("evaluation/waves.html", form=form, waves=repo(WaveRepository).list(), names=names,
                           today=date.today())


@bp.route("/vagues/<wave_id>")
@role_required(*policy.EVALUATION)
def wave(wave_id: str):
    found = services.wave_or_404(wave_id)
    rule_form = RuleForm(formdata=request.args)
    rule = rule_form.rule.data if rule_form.validate() else "either"
    figures = services.wave_figures(wave_id, rule)
    names = {s.id: scope_name(s) for s in services.scopes().values()}
    return render_template("evaluation/wave.html", wave=found, figures=figures, rule_form=rule_form, rule=rule,
                           scope_label=names.get(found["scope"], found["scope"]), today=date.today())


@bp.route("/questionnaires")
@role_required()
def questionnaires():
    open_waves = repo(WaveRepository).open_for(current_user.person_id, date.today()) if current_user.person_id else []
    return render_template("evaluation/questionnaires.html", waves=open_waves)


def _row_data(person: dict) -> dict:
    answer = person["answer"] or {}
    yes_no = {True: "yes", False: "no"}
    return {
        "person": person["id"], "knows": yes_no.get(answer.get("knows"), ""), "level": answer.get("level") or "",
        "trust": str(answer["trust"]) if answer.get("trust") else "",
        "value": str(answer["value"]) if answer.get("value") else "",
        "knew_before": yes_no.get(answer.get("knew_before"), ""),
    }


@bp.route("/questionnaires/<wave_id>", methods=["GET", "POST"])
@role_required()
def answer(wave_id: str):
    found = services.wave_or_404(wave_id)
    roster = repo(WaveRepository).questionnaire(wave_id, current_user.person_id) if current_user.person_id else None
    if roster is None:
        abort(403)
    principal = policy.Principal.of(current_user)  # unlisted members: only those the policy lets this one see
    roster = [p for p in roster if policy.may_read_person(principal, p["territories"], p["listed"], p["id"])]
    today = date.today()
    is_open = found["opens"] <= today <= found["closes"]
    people = {person["id"]: person for person in roster}
    if request.method == "POST":
        form = AnswerForm()
        if not is_open:
            raise ApiError(409, "wave_closed",
                           _("Ce questionnaire n'est plus ouvert : vos réponses n'ont pas été enregistrées."))
        submitted = [row.form.person.data for row in form.rows]
        if len(set(submitted)) != len(submitted) or not set(submitted) <= set(people):
            raise ApiError(422, "invalid_roster",
                           _("Le questionnaire ne correspond pas à la liste des membres : rechargez la page."))
        if form.validate_on_submit():
            answers = {row.form.person.data: row.form.answer() for row in form.rows}
            try:
                saved = repo(WaveRepository).save_answers(wave_id, current_user.person_id, answers, today,
                                                          datetime.now(UTC))
            except WaveError as error:
                raise ApiError(403 if error.code == "not_member" else 409, error.code,
                               _("Vos réponses n'ont pas pu être enregistrées.")) from error
            flash(_("Réponses enregistrées : %(n)s personnes sur %(m)s. Vous pouvez revenir les compléter "
                    "jusqu'au %(d)s.", n=saved, m=len(people), d=found["closes"].isoformat()), "success")
            return redirect(url_for("evaluation.answer", wave_id=wave_id))
    else:
        form = AnswerForm(data={"rows": [_row_data(person) for person in roster]})
    rows = [(row, people.get(row.form.person.data)) for row in form.rows]
    answered = sum(1 for person in roster if person["answer"])
    return render_template("evaluation/answer.html", wave=found, form=form, rows=rows, is_open=is_open,
                           answered=answered, total=len(roster)), (422 if form.errors else 200)
