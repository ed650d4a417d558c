"""« Today » is Montréal's day, whatever the server's zone: at 01:00 UTC it is still yesterday evening there."""

from datetime import UTC, date, datetime

from referral import clock


class LateEvening(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 12, 5, 1, 0, tzinfo=UTC).astimezone(tz)


def test_today_is_montreals_day_not_the_servers(monkeypatch):
    monkeypatch.setattr(clock, "datetime", LateEvening)
    assert clock.utc_now().date() == date(2026, 12, 5)
    assert clock.today() == date(2026, 12, 4)
