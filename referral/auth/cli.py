"""`flask --app app user create|invite|list|disable|password|role|token`: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.security import generate_password_hash

from graph.repositories.users import TOKEN_SCOPES, AccountTaken, UserRepository
from referral.cli import _fail
from referral.graphdb import repo
from referral.policy import EVERYONE

user_cli = AppGroup("user", help="Manage accounts.")


@user_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(EVERYONE), required=True)
@click.option("--territory", default=None, help="Territory id (coordinators: their scope).")
@click.option("--person", default=None, help="Id of the Person this account is.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_create(email, role, territory, person, password_stdin):
    """Create an account; the password comes from a prompt or standard input."""
    from referral.contact_rules import valid_email

    if not valid_email(email):
        _fail(f"{email!r} is not a valid e-mail address.")
    password = _new_password(password_stdin, [email])
    _check_territory(territory)
    try:
        repo(UserRepository).create(email, generate_password_hash(password), role, territory, person)
    except AccountTaken:
        _fail(f"An account already exists for {email}.")
    except LookupError:
        _fail(f"Unknown person {person!r}.")
    click.echo(f"Account created: {email} ({role}).")


@user_cli.command("invite")
@click.argument("email")
@click.option("--role", type=click.Choice(EVERYONE), default="intervenant", show_default=True)
@click.option("--territory", default=None, help="Territory id (coordinators: their scope).")
def user_invite(email, role, territory):
    """Invite the directory's person with this e-mail (or, with none, an account alone): e-mail a link to
    choose a password, valid 7 days, and print it (to hand over when no e-mail can go out)."""
    from referral import policy
    from referral.auth.invitations import PasswordLinks
    from referral.auth.mail import compose, send_letter
    from referral.contact_rules import valid_email
    from referral.service_errors import ServiceError

    if not valid_email(email):
        _fail(f"{email!r} is not a valid e-mail address.")
    _check_territory(territory)
    app = current_app._get_current_object()
    try:
        letter = PasswordLinks(repo, app.config["SECRET_KEY"]).invite(policy.OPERATOR, email, role, territory,
                                                                       person_required=False)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Invitation for {letter.to} ({role}), valid 7 days: {compose(app, letter)[2]}")
    # One attempt: whoever runs this sees the result at once and holds the link anyway.
    if send_letter(app, letter, attempts=1):
        click.echo("E-mail sent.")
    else:
        click.echo("The e-mail could not be sent: give the link above to the person.", err=True)


@user_cli.command("list")
def user_list():
    """List accounts."""
    for user in repo(UserRepository).list():
        state = "active" if user["active"] else "disabled"
        click.echo(f"{user['email']:<45} {user['role']:<12} {user['territory'] or '*':<6} {state}")


@user_cli.command("disable")
@click.argument("email")
def user_disable(email):
    """Disable an account (it can no longer log in, its sessions end; nothing is deleted)."""
    if not repo(UserRepository).set_active(email, False):
        _fail(f"No account for {email}.")
    click.echo(f"Account disabled: {email}.")


def _new_password(from_stdin: bool, user_inputs: list[str]) -> str:
    """From standard input or a prompt, refused with the policy's reason (referral/auth/passwords.py)."""
    from referral.auth.passwords import password_problem

    password = sys.stdin.readline().rstrip("\n") if from_stdin else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, user_inputs)
    if problem:
        _fail(problem)
    return password


def _check_territory(territory: str | None) -> None:
    from graph.repositories.territories import TerritoryRepository

    if territory and territory not in repo(TerritoryRepository).ids():
        _fail(f"Unknown territory {territory!r}.")


def _account(email: str) -> dict:
    record = repo(UserRepository).by_email(email)
    if not record:
        _fail(f"No account for {email}.")
    return record


@user_cli.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_password(email, password_stdin):
    """Set an account's password; every session of the account ends."""
    record = _account(email)
    password = _new_password(password_stdin, [record["email"], record.get("person_name") or ""])
    repo(UserRepository).update(record["id"], password_hash=generate_password_hash(password))
    click.echo(f"Password changed for {email}; its sessions are closed.")


@user_cli.command("role")
@click.argument("email")
@click.option("--role", type=click.Choice(EVERYONE), required=True)
@click.option("--territory", default=None, help="Territory id (coordinators: their scope); none for all.")
def user_role(email, role, territory):
    """Change an account's role and territory scope; every session of the account ends."""
    record = _account(email)
    _check_territory(territory)
    repo(UserRepository).update(record["id"], role=role, territory=territory)
    click.echo(f"Role of {email}: {role} ({territory or 'all territories'}); its sessions are closed.")


@user_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="What the token is for (shown in the profile).")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True)
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Lifetime [default: API_TOKEN_DAYS].")
def user_token(email, name, scope, days):
    """Create an API token for scripts (the account's others stay until revoked) and print it once."""
    from referral.auth.tokens import issue_token

    click.echo(issue_token(_account(email)["id"], name[:60], scope, days))
