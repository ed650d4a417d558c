"""The outbox of e-mail notifications, and the preferences of the people they go to.

A notification is a node written right after the change it tells of, keyed so that one event never makes
two (`key`: "received:r-…", "status:r-…:2", "reminder:r-…:1:p-…"); a reminder or a relance also has a
`day` (referral, person, date): one person is reminded of one referral once a day, however. Sending is
done later by a worker (referral/notify/dispatch.py): it claims due ones under each node's write lock, so
two workers (two processes) never send the same one, and a failed send goes back to `pending` with a
later `due`. Nothing about the family is stored here: the referral's id, the event's status, reason (and
an « autre raison »'s words, checked like the note) or outcome.

States: pending → sending → sent; pending → … → failed after MAX_ATTEMPTS; digest (waits for the daily
digest of a person who chose it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from neo4j import ManagedTransaction

from graph.driver import Repository, plain
from graph.locks import write_lock
from graph.repositories.referrals import referrals_by_ids

MAX_ATTEMPTS = 6
# A worker that died while sending leaves `sending`: its claims are taken again after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)
NOTIFY_MODES = ("each", "digest", "none")

FIELDS = "n {.key, .kind, .person, .referral, .status, .reason, .detail, .outcome, .attempts, .created_at}"


RECIPIENTS = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
OPTIONAL MATCH (u:User {active: true})-[:IS]->(p)
WITH id, p, collect(u.email)[0] AS account
RETURN id, {name: p.name, email: coalesce(account, p.email), locale: coalesce(p.locale, 'fr'),
            mode: coalesce(p.notify, 'each'), digest_sent_on: p.digest_sent_on} AS recipient
"""


def _recipients(tx: ManagedTransaction, person_ids: list[str]) -> dict[str, dict]:
    return {r["id"]: plain(r["recipient"]) for r in tx.run(RECIPIENTS, ids=person_ids)}


class NotificationRepository(Repository):
    def recipients(self, person_ids: list[str]) -> dict[str, dict]:
        """Per person: the address to write to (their account's, which only they change, else their directory
        e-mail), their language and what they chose to receive."""
        return self.read(lambda tx: _recipients(tx, person_ids))

    def addressed(self, items: list[dict]) -> tuple[dict[str, dict], dict[str, dict]]:
        """For claimed notifications, in one read: their recipients (as `recipients` gives them) and their
        referrals, by id, without history."""
        return self.read(lambda tx: (_recipients(tx, sorted({item["person"] for item in items})),
                                     referrals_by_ids(tx, sorted({item["referral"] for item in items}))))

    def chosen_locale(self, person_id: str) -> str | None:
        """The language the person chose on the site, None when they never chose one."""

        def work(tx: ManagedTransaction):
            record = tx.run("MATCH (p:Person {id: $id}) RETURN p.locale AS locale", id=person_id).single()
            return record["locale"] if record else None

        return self.read(work)

    def set_preferences(self, person_id: str, *, mode: str | None = None, locale: str | None = None) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            # Only what differs is written (choosing French again, the default, writes nothing).
            return tx.run(
                """
                MATCH (p:Person {id: $id})
                WITH p, $mode IS NOT NULL AND coalesce(p.notify, 'each') <> $mode AS new_mode,
                     $locale IS NOT NULL AND coalesce(p.locale, 'fr') <> $locale AS new_locale
                FOREACH (_ IN CASE WHEN new_mode THEN [1] ELSE [] END | SET p.notify = $mode)
                FOREACH (_ IN CASE WHEN new_locale THEN [1] ELSE [] END | SET p.locale = $locale)
                RETURN p.id AS id
                """, id=person_id, mode=mode, locale=locale).single() is not None

        return self.write(work)

    def enqueue(self, rows: list[dict], now: datetime, state_for: Callable[[dict | None], str | None]) -> int:
        """Write each notification whose key is new, and whose `day` (when it has one) was not taken by
        another, in the state `state_for(its recipient)` says ("pending" or "digest"; None: not written —
        the caller's rule, asked in the same transaction as the recipients are read); the count written."""

        def work(tx: ManagedTransaction) -> int:
            recipients = _recipients(tx, sorted({row["person"] for row in rows}))
            wanted = [{**row, "state": state} for row in rows
                      if (state := state_for(recipients.get(row["person"]))) is not None]
            if not wanted:
                return 0
            return tx.run(
                """
                UNWIND $rows AS row
                WITH row WHERE row.day IS NULL OR NOT EXISTS { MATCH (:Notification {day: row.day}) }
                MERGE (n:Notification {key: row.key})
                ON CREATE SET n.kind = row.kind, n.day = row.day, n.person = row.person, n.referral = row.referral,
                    n.status = row.status, n.reason = row.reason, n.detail = row.detail, n.outcome = row.outcome,
                    n.state = row.state, n.attempts = 0, n.created_at = $now, n.due = $now, n.new = true
                WITH n WHERE n.new
                REMOVE n.new
                RETURN count(n) AS written
                """, rows=wanted, now=now).single()["written"]

        return self.write(work)

    def state_of(self, key: str) -> str | None:
        """Where one notification stands (pending, sending, sent, failed, digest); None when none was written."""

        def work(tx: ManagedTransaction):
            record = tx.run("MATCH (n:Notification {key: $key}) RETURN n.state AS state", key=key).single()
            return record["state"] if record else None

        return self.read(work)

    def day_taken(self, day: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            return tx.run("RETURN EXISTS { MATCH (:Notification {day: $day}) } AS taken", day=day).single()["taken"]

        return self.read(work)

    def claim(self, now: datetime, limit: int = 20) -> list[dict]:
        """Due pending notifications (and those a dead worker left), marked `sending` for this worker only."""

        def work(tx: ManagedTransaction):
            return [r["n"] for r in tx.run(
                f"""
                CALL () {{
                    MATCH (n:Notification) WHERE n.state = 'pending' AND n.due <= $now RETURN n
                  UNION
                    MATCH (n:Notification) WHERE n.state = 'sending' AND n.claimed_at <= $stale RETURN n
                }}
                WITH n ORDER BY n.due LIMIT $limit
                {write_lock("n")}
                WITH n WHERE (n.state = 'pending' AND n.due <= $now)
                          OR (n.state = 'sending' AND n.claimed_at <= $stale)
                SET n.state = 'sending', n.claimed_at = $now
                RETURN {FIELDS} AS n
                """, now=now, stale=now - CLAIM_TIMEOUT, limit=limit)]

        return self.write(work)

    def claim_digest(self, person_id: str, today, now: datetime) -> list[dict]:
        """A person's waiting digest items, claimed, when their digest was not sent on `today` (then the day
        is marked as done, in the same transaction)."""

        def work(tx: ManagedTransaction):
            person = tx.run("MATCH (p:Person {id: $id}) " + write_lock("p") + " "
                            "RETURN p.digest_sent_on AS sent_on", id=person_id).single()
            if not person or person["sent_on"] == today:
                return []
            items = [r["n"] for r in tx.run(
                f"""
                MATCH (n:Notification {{person: $id, state: 'digest'}})
                SET n.state = 'sending', n.claimed_at = $now
                RETURN {FIELDS} AS n ORDER BY n.created_at
                """, id=person_id, now=now)]
            if items:
                tx.run("MATCH (p:Person {id: $id}) SET p.digest_sent_on = $today", id=person_id, today=today)
            return items

        return self.write(work)

    def digest_people(self) -> list[str]:
        def work(tx: ManagedTransaction):
            return [r["person"] for r in tx.run(
                "MATCH (n:Notification {state: 'digest'}) RETURN DISTINCT n.person AS person ORDER BY person")]

        return self.read(work)

    def finished(self, keys: list[str], now: datetime) -> None:
        def work(tx: ManagedTransaction):
            tx.run("UNWIND $keys AS key MATCH (n:Notification {key: key}) SET n.state = 'sent', n.sent_at = $now "
                   "REMOVE n.claimed_at, n.error", keys=keys, now=now).consume()

        self.write(work)

    def failed(self, keys: list[str], error: str, now: datetime) -> list[str]:
        """Back to pending, due again after 2, 4, 8… minutes; `failed` for good after MAX_ATTEMPTS (those keys
        are returned)."""

        def work(tx: ManagedTransaction):
            return [r["key"] for r in tx.run(
                """
                UNWIND $keys AS key
                MATCH (n:Notification {key: key})
                SET n.attempts = n.attempts + 1, n.error = $error
                SET n.state = CASE WHEN n.attempts >= $max THEN 'failed' ELSE 'pending' END,
                    n.due = $now + duration({minutes: 2 ^ n.attempts})
                REMOVE n.claimed_at
                WITH n WHERE n.state = 'failed'
                RETURN n.key AS key
                """, keys=keys, error=error[:300], now=now, max=MAX_ATTEMPTS)]

        return self.write(work)

    def stale_referrals(self, before: datetime) -> list[dict]:
        """Open referrals unchanged since `before`: the reminders' candidates."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (r:Referral)-[:FROM]->(a:Person), (r)-[:TO]->(b:Person)
                WHERE r.status IN ['sent', 'accepted', 'in_progress'] AND r.updated_at <= $before
                RETURN r.id AS id, r.updated_at AS updated_at, a.id AS sender, b.id AS receiver
                ORDER BY r.updated_at
                """, before=before).data()

        return self.read(work)

    def recent(self, limit: int = 50) -> list[dict]:
        """The latest notifications, for the admins' view of what went out."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (n:Notification) USING INDEX n:Notification(created_at)
                WHERE n.created_at IS NOT NULL
                WITH n ORDER BY n.created_at DESC LIMIT $limit
                OPTIONAL MATCH (p:Person {id: n.person})
                RETURN n {.key, .kind, .person, .referral, .state, .attempts, .error, .created_at, .sent_at,
                          person_name: p.name} AS n
                ORDER BY n.created_at DESC
                """, limit=limit).value("n")

        return self.read(work)
