"""Sending the outbox: a worker thread per process, started by the first request that writes notifications,
then woken by each and every NOTIFY_RETRY_SECONDS (a failed send is retried without waiting for cron);
`deliver_due` for the CLI (`notify due`, which also picks up what waits after a restart).

A request never waits for SMTP: it writes to the outbox (graph) and wakes the worker. A send that fails
goes back to the outbox with a later due time (graph/repositories/notifications.py) and is logged; after
the last attempt it stays `failed`, visible to admins. The referral itself was committed before.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from graph.repositories.notifications import NotificationRepository
from referral.clock import local_now, utc_now
from referral.graphdb import repo
from referral.notify import mailer
from referral.notify.compose import compose

log = logging.getLogger(__name__)


def deliver(app: Flask, items: list[dict], digest: bool = False) -> tuple[int, int]:
    """In the app's context: send claimed items, one message per item — or, with `digest`, one message for
    all (one person's); (sent, failed)."""
    outbox = repo(NotificationRepository)
    recipients, referrals = outbox.addressed(items)
    groups = [items] if digest else [[item] for item in items]
    sent = failed = 0
    for group in groups:
        keys = [item["key"] for item in group]
        recipient = recipients.get(group[0]["person"])
        if not recipient or not recipient["email"]:
            outbox.finished(keys, utc_now())  # nobody to write to any more: nothing to retry
            continue
        try:
            subject, body, headers = compose(app, group, recipient, referrals)
            mailer.send(subject, body, recipient["email"], headers)
        except Exception as error:  # noqa: BLE001 — any failure is retried later, never lost
            gave_up = outbox.failed(keys, f"{type(error).__name__}: {error}", utc_now())
            log.warning("notification not sent (%s): %s%s", ", ".join(keys), error,
                        " — given up" if gave_up else " — will retry")
            failed += len(group)
        else:
            outbox.finished(keys, utc_now())
            sent += len(group)
    return sent, failed


def deliver_due(app: Flask) -> tuple[int, int]:
    """Everything due now, in batches: (sent, failed)."""
    sent = failed = 0
    with app.app_context():
        outbox = repo(NotificationRepository)
        while items := outbox.claim(utc_now()):
            done = deliver(app, items)
            sent, failed = sent + done[0], failed + done[1]
            if done[0] == 0:
                break  # all of this batch failed: the next try is later
    return sent, failed


def deliver_digests(app: Flask) -> int:
    """Each person who chose the digest gets one message for their waiting items, once a day."""
    count = 0
    with app.app_context():
        now = local_now()
        if now.hour < app.config["NOTIFY_DIGEST_HOUR"]:
            return 0
        outbox = repo(NotificationRepository)
        for person in outbox.digest_people():
            items = outbox.claim_digest(person, now.date(), utc_now())
            if items:
                count += deliver(app, items, digest=True)[0]
    return count


class Dispatcher:
    """The worker of one app in one process, started at the first kick."""

    def __init__(self, app: Flask, interval: float = 60.0):
        self.app, self.interval = app, interval
        self.wake, self.stopping, self.idle = threading.Event(), threading.Event(), threading.Event()
        self.idle.set()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def kick(self) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="notify-dispatch", daemon=True)
                self.thread.start()
        self.idle.clear()
        self.wake.set()

    def _run(self) -> None:
        while not self.stopping.is_set():
            self.wake.clear()
            try:
                deliver_due(self.app)
            except Exception:  # noqa: BLE001 — Neo4j down: the outbox waits, the next round tries again
                log.exception("notification round failed")
            if not self.wake.is_set():
                self.idle.set()
            self.wake.wait(self.interval)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """For tests and shutdown: True once every kick so far has been handled."""
        return self.idle.wait(timeout)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread:
            self.thread.join(timeout=5)


def init_app(app: Flask) -> None:
    mailer.mail.init_app(app)
    app.extensions["notify"] = Dispatcher(app, interval=app.config["NOTIFY_RETRY_SECONDS"])
