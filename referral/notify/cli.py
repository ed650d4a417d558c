"""`flask --app app notify due`: reminders of referrals left open, retries, and the daily digests. Run it
from cron every quarter of an hour (README); running it twice changes nothing: each reminder has its key."""

import click
from flask import current_app
from flask.cli import AppGroup

from referral import clock
from referral.clock import utc_now
from referral.graphdb import repo
from referral.notify.dispatch import deliver_digests, deliver_due
from referral.notify.service import Notices

notify_cli = AppGroup("notify", help="E-mail notifications: reminders, retries, daily digests.")


@notify_cli.command("due")
def due():
    """Write the reminders due today, send what waits in the outbox, then the digests of the day."""
    reminders = Notices(repo, utc_now(), clock.today()).reminders()
    sent, failed = deliver_due(current_app._get_current_object())
    digests = deliver_digests(current_app._get_current_object())
    click.echo(f"reminders written: {reminders}; sent: {sent}; failed (retried later): {failed}; "
               f"digests: {digests}")
