"""Network survey waves: evaluators and coordinators open them; members of the roster answer."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from referral import clock, policy
from referral.auth.users import role_required
from referral.evaluation import bp, web
from referral.evaluation.forms import AnswerForm, MemberForm, RuleForm, WaveActionForm, WaveEditForm, WaveForm
from referral.evaluation.presentation import scope_name
from referral.evaluation.wave_admin import WaveAdmin
from referral.evaluation.wave_admin import status as wave_status
from referral.service_errors import ServiceError


@bp.route("/vagues", methods=["GET", "POST"])
@role_required(*policy.EVALUATION)
def waves():
    service = web.evaluation()
    form = WaveForm()
    form.scope.choices = [(s.id, scope_name(s)) for s in service.survey_scopes()]
    if request.method == "GET":
        form.opens.data = clock.today()
    if form.validate_on_submit():
        try:
            wave = service.open_wave(form.scope.data, form.title.data, form.opens.data, form.closes.data,
                                     form.roster_rule.data, current_user.id)
        except ServiceError as error:
            form.scope.errors.append(error.message)
        else:
            if wave["opens"] > clock.today():
                flash(_("Vague créée : elle ouvrira le %(o)s à ses %(n)s membres, jusqu'au %(d)s ; sa liste de "
                        "membres peut changer d'ici là.", o=format_date(wave["opens"], "long"), n=wave["roster"],
                        d=format_date(wave["closes"], "long")), "success")
            else:
                flash(_("Vague ouverte : %(n)s membres peuvent répondre jusqu'au %(d)s.", n=wave["roster"],
                        d=format_date(wave["closes"], "long")), "success")
            return redirect(url_for("evaluation.wave", wave_id=wave["id"]))
    names = {s.id: scope_name(s) for s in service.scopes().values()}
    return render_template("evaluation/waves.html", form=form, waves=service.waves(), names=names,
                           today=clock.today())


@bp.route("/vagues/<wave_id>")
@role_required(*policy.EVALUATION)
def wave(wave_id: str):
    return wave_page(wave_id)


def wave_page(wave_id: str, status: int = 200, edit_form: WaveEditForm | None = None,
              member_form: MemberForm | None = None):
    """The wave's figures for every reader; its administration for whoever may manage it (a refused change is
    shown on this page, with its `status` and the form that was sent)."""
    service = web.evaluation()
    found = service.wave(wave_id)
    rule_form = RuleForm(formdata=request.args)
    rule = rule_form.rule.data if rule_form.validate() else "either"
    figures = service.wave_figures(wave_id, rule)
    names = {s.id: scope_name(s) for s in service.scopes().values()}
    admin = WaveAdmin(service)
    manage = {}
    if admin.may_manage(found):
        member_form = member_form or MemberForm(formdata=None)
        member_form.person.choices = admin.candidates(found)
        manage = {"state": wave_status(found, clock.today()), "members": admin.members(found),
                  "edit_form": edit_form or WaveEditForm(formdata=None, data=found),
                  "member_form": member_form, "action_form": WaveActionForm(formdata=None),
                  "pseudonymous": not policy.sees_names(service.principal)}
    return render_template("evaluation/wave.html", wave=found, figures=figures, rule_form=rule_form, rule=rule,
                           scope_label=names.get(found["scope"], found["scope"]), today=clock.today(),
                           manage=manage), status


@bp.route("/questionnaires")
@role_required()
def questionnaires():
    return render_template("evaluation/questionnaires.html",
                           waves=web.evaluation().open_questionnaires(clock.today()))


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
    service = web.evaluation()
    sheet = service.questionnaire(wave_id, clock.today())
    if request.method == "POST":
        form = AnswerForm()
        service.check_submission(sheet, [row.form.person.data for row in form.rows])
        if form.validate_on_submit():
            saved = service.save_answers(sheet, {row.form.person.data: row.form.answer() for row in form.rows},
                                         datetime.now(UTC))
            flash(_("Réponses enregistrées : %(n)s personnes sur %(m)s. Vous pouvez revenir les compléter "
                    "jusqu'au %(d)s.", n=saved, m=len(sheet.people), d=sheet.wave["closes"].isoformat()), "success")
            return redirect(url_for("evaluation.answer", wave_id=wave_id))
    else:
        form = AnswerForm(data={"rows": [_row_data(person) for person in sheet.roster]})
    people = sheet.people
    rows = [(row, people.get(row.form.person.data)) for row in form.rows]
    answered = sum(1 for person in sheet.roster if person["answer"])
    incomplete = sum(1 for p in sheet.roster if p["answer"] and p["answer"]["knows"] and not p["answer"]["level"])
    return render_template("evaluation/answer.html", wave=sheet.wave, form=form, rows=rows, is_open=sheet.is_open,
                           answered=answered, incomplete=incomplete, total=len(sheet.roster)), (
        422 if form.errors else 200)
