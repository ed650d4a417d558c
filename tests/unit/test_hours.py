"""Opening hours as organisations write them, for the "open now" filter."""

from datetime import datetime, time

import pytest

from referral.search.hours import is_open, parse

MONDAY, SATURDAY, SUNDAY = 3, 8, 9  # March 2025


def at(day, hour, minute=0):
    return datetime(2025, 3, day, hour, minute)


@pytest.mark.parametrize("hours,moment,expected", [
    ("lun-ven 09:00-17:00", at(MONDAY, 9), True),
    ("lun-ven 09:00-17:00", at(MONDAY, 17), False),
    ("lun-ven 09:00-17:00", at(MONDAY, 8, 59), False),
    ("lun-ven 09:00-17:00", at(SATURDAY, 12), False),
    ("mar-sam 10:00-18:00", at(SATURDAY, 12), True),
    ("mar-sam 10:00-18:00", at(MONDAY, 12), False),
    ("lun-jeu 09:00-20:00", at(MONDAY + 3, 19, 59), True),
    ("lun-ven 08:30-16:30", at(MONDAY, 8, 30), True),
    ("lun, mer 9h-12h 13h-17h", at(MONDAY, 12, 30), False),
    ("lun, mer 9h-12h 13h-17h", at(MONDAY + 2, 13), True),
    ("lun-ven 09:00-17:00; sam 10h-14h", at(SATURDAY, 11), True),
    ("sam-lun 10:00-14:00", at(SUNDAY, 11), True),  # a range across the week's end
    ("lundi-vendredi 9h00-17h00", at(MONDAY, 10), True),
    ("dim 00:00-24:00", at(SUNDAY, 23, 59), True),
])
def test_is_open(hours, moment, expected):
    assert is_open(hours, moment) is expected


@pytest.mark.parametrize("hours", [None, "", "sur rendez-vous", "lun-ven", "xyz 09:00-17:00", "lun 17:00-09:00",
                                   "lun 25:00-26:00", "lun-ven 09:00-17:00; n'importe quoi"])
def test_unreadable_hours_are_unknown_never_open(hours):
    assert is_open(hours, at(MONDAY, 12)) is None


def test_parse():
    assert parse("lun-mer 09:00-12:00 13:00-17:00") == [({0, 1, 2}, [(time(9), time(12)), (time(13), time(17))])]
