"""Opening hours as organisations write them (« lun-ven 09:00-17:00 ; sam 10h-14h »), for "open now".

A segment is days (a range « lun-ven », a list « lun,mer » or one day) followed by one or more time
ranges; segments are separated by « ; » or « / ». Text that does not read this way is "unknown",
never guessed open.
"""

from __future__ import annotations

import re
from datetime import datetime, time

DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
TIME_RANGE = re.compile(r"(\d{1,2})(?:[:h](\d{2})?)?\s*-\s*(\d{1,2})(?:[:h](\d{2})?)?")
DAY_PART = re.compile(r"^([a-zé]{3})[a-zé]*(?:\s*-\s*([a-zé]{3})[a-zé]*)?$")


def _days(text: str) -> set[int] | None:
    days: set[int] = set()
    for item in text.split(","):
        match = DAY_PART.match(item.strip())
        if not match or match.group(1) not in DAYS or (match.group(2) and match.group(2) not in DAYS):
            return None
        first = DAYS.index(match.group(1))
        last = DAYS.index(match.group(2)) if match.group(2) else first
        span = (last - first) % 7
        days.update((first + i) % 7 for i in range(span + 1))
    return days


def _time(hour: str, minute: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if h == 24 and m == 0:
        return time(23, 59, 59)
    return time(h, m) if h < 24 and m < 60 else None


def parse(hours: str) -> list[tuple[set[int], list[tuple[time, time]]]] | None:
    """[(weekdays 0 = Monday, [(opens, closes)])], or None when the text cannot be read."""
    segments = []
    for segment in re.split(r"[;/]", hours.lower()):
        segment = segment.strip()
        if not segment:
            continue
        first_digit = re.search(r"\d", segment)
        if not first_digit:
            return None
        days = _days(segment[: first_digit.start()].strip())
        ranges = []
        for match in TIME_RANGE.finditer(segment[first_digit.start():]):
            opens, closes = _time(match.group(1), match.group(2)), _time(match.group(3), match.group(4))
            if opens is None or closes is None or closes <= opens:
                return None
            ranges.append((opens, closes))
        if not days or not ranges:
            return None
        segments.append((days, ranges))
    return segments or None


def is_open(hours: str | None, at: datetime) -> bool | None:
    """True or False at that local time; None when the hours are missing or unreadable."""
    schedule = parse(hours) if hours else None
    if schedule is None:
        return None
    now = at.time()
    return any(at.weekday() in days and any(opens <= now < closes for opens, closes in ranges)
               for days, ranges in schedule)
