"""Opening hours as organisations write them (« lun-ven 09:00-17:00 ; sam 10h-14h »), for "open now",
and said in words in any language (`in_words`: « Ouvert jusqu'à 17 h », « Du lundi au vendredi, 9 h à 17 h »).

A segment is days (a range « lun-ven », a list « lun,mer » or one day) followed by one or more time
ranges; segments are separated by « ; » or « / ». Text that does not read this way is "unknown",
never guessed open: in words, it is shown as written, with no claim.

The sentences are the gettext domain `family` (translations/<lang>/LC_MESSAGES/family.po, compiled by
`make translations`), which the family sheet (referral/family) shares; times and day names are Babel's,
so that any locale reads right, with Québec style for French (« 17 h », « 9 h 30 »). To list the
domain's texts: `pybabel extract --no-default-keywords -k phrase -c "For translators" -o family.pot
referral/search/hours.py referral/family`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_time, get_day_names
from babel.lists import format_list
from babel.support import NullTranslations, Translations

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


# --- In words ---------------------------------------------------------------------------------------

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
# The domain's languages: French, the source, then those it is translated into (the family sheet offers them).
LANGUAGES = ("fr", "en", "ar", "es", "fa", "ht")
DAY, WEEK = 24 * 60, 7 * 24 * 60  # minutes; a week's moments count from Monday 0:00


def phrase(text: str) -> str:
    """Marks a French text of the `family` domain, translated when said (see the module's docstring)."""
    return text


# The comments "For translators" go into the catalogues (pybabel extract -c "For translators").
OPEN_UNTIL = phrase("Ouvert jusqu'à %(time)s")
# For translators: open until a time of tomorrow (2 a.m., midnight).
OPEN_UNTIL_TOMORROW = phrase("Ouvert jusqu'à demain, %(time)s")
# For translators: open until a time of a later day: « Ouvert jusqu'à dimanche, minuit ».
OPEN_UNTIL_DAY = phrase("Ouvert jusqu'à %(day)s, %(time)s")
ALWAYS_OPEN = phrase("Ouvert jour et nuit, tous les jours")
CLOSED = phrase("Fermé")
OPENS_TODAY = phrase("Ouvre aujourd'hui à %(time)s")
OPENS_TOMORROW = phrase("Ouvre demain à %(time)s")
# For translators: the next opening, in the coming week: « Ouvre mardi à 10 h ».
OPENS_ON = phrase("Ouvre %(day)s à %(time)s")
# For translators: a closing time of 24:00.
MIDNIGHT = phrase("minuit")
# For translators: days of the week in a row, inside a list: « du lundi au vendredi et dimanche ».
FROM_DAY_TO_DAY = phrase("du %(first)s au %(last)s")
EVERY_DAY = phrase("tous les jours")
# For translators: one opening time range: « 9 h à 17 h ».
FROM_TIME_TO_TIME = phrase("%(opens)s à %(closes)s")
# For translators: open the whole day (0 h to 24 h).
DAY_AND_NIGHT = phrase("jour et nuit")
# For translators: a line of the week, the days then their time ranges: « du lundi au vendredi, 9 h à 17 h ».
DAYS_AND_HOURS = phrase("%(days)s, %(hours)s")
# For translators: between two lines of the week, on one line (French typography puts a space before « ; »).
BETWEEN_DAYS = phrase(" ; ")
# For a language Babel has no day names for (Haitian Creole).
# For translators: the days of the week, in lower case unless the language writes them with a capital.
DAY_NAMES = (phrase("lundi"), phrase("mardi"), phrase("mercredi"), phrase("jeudi"), phrase("vendredi"),
             phrase("samedi"), phrase("dimanche"))


@dataclass(frozen=True)
class Words:
    """Opening hours in one language. `open` is None when the hours could not be read: then `now` is None
    and `week_text` is the hours as written."""

    raw: str  # as the organisation wrote them
    open: bool | None
    now: str | None  # « Ouvert jusqu'à 17 h », « Fermé »
    next: str | None  # when closed: « Ouvre demain à 9 h »
    week: tuple[str, ...]  # a line per group of days: « Du lundi au vendredi, 9 h à 17 h »
    week_text: str  # the week on one line: « Du lundi au vendredi, 9 h à 17 h ; samedi, 10 h à 14 h »

    @property
    def today(self) -> str:
        """The state on one line: « Fermé · Ouvre demain à 9 h »; the hours as written when unreadable."""
        return " · ".join(filter(None, (self.now, self.next))) if self.open is not None else self.raw


@lru_cache(maxsize=16)
def catalogue(language: str) -> NullTranslations:
    """The `family` domain in `language` (French, the source language, has no catalogue)."""
    return Translations.load(str(TRANSLATIONS), [language], domain="family")


@lru_cache(maxsize=16)
def babel_locale(language: str) -> Locale:
    """Québec French and Canadian English for the app's two languages; else Babel's, or French."""
    try:
        return Locale.parse({"fr": "fr_CA", "en": "en_CA"}.get(language, language))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("fr_CA")


class _Speaker:
    """The sentences, times and day names of one language."""

    def __init__(self, language: str):
        self.say: Callable[[str], str] = catalogue(language).gettext
        self.locale = babel_locale(language)
        names = get_day_names("wide", "format", self.locale)
        if names == get_day_names("wide", "format", Locale("root")):  # Babel knows no names: the catalogue's
            self.days = tuple(self.say(name) for name in DAY_NAMES)
        else:
            self.days = tuple(names[day] for day in range(7))

    def clock(self, minutes: int) -> str:
        if minutes == DAY:
            return self.say(MIDNIGHT)
        moment = time(minutes // 60, minutes % 60)
        if self.locale.language == "fr":  # Québec: « 17 h », « 9 h 30 »
            pattern = "H 'h'" if moment.minute == 0 else "H 'h' mm"
        elif self.locale.language == "en":  # « 5 p.m. », « 9:30 a.m. »
            pattern = "h a" if moment.minute == 0 else "h:mm a"
        else:  # the locale's own, without a leading zero (« 9:30 », not « 09:30 »)
            pattern = self.locale.time_formats["short"].pattern.replace("HH", "H").replace("hh", "h")
        return format_time(moment, pattern, locale=self.locale)


def _minutes(moment: time) -> int:
    return DAY if moment == time(23, 59, 59) else moment.hour * 60 + moment.minute


def _intervals(schedules: Iterable[list[tuple[set[int], list[tuple[time, time]]]]]) -> list[tuple[int, int]]:
    """The moments of the week open in any of the schedules, merged: [(start, end)] in minutes from Monday."""
    spans = sorted((day * DAY + _minutes(opens), day * DAY + _minutes(closes))
                   for schedule in schedules for days, ranges in schedule for day in days
                   for opens, closes in ranges)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _state(intervals: list[tuple[int, int]], at: datetime, speaker: _Speaker) -> tuple[bool, str, str | None]:
    now = at.weekday() * DAY + at.hour * 60 + at.minute
    if intervals == [(0, WEEK)]:
        return True, speaker.say(ALWAYS_OPEN), None
    for start, end in intervals:
        if start <= now < end:
            if end == WEEK and intervals[0][0] == 0:  # Sunday until midnight, then Monday from 0 h
                end = WEEK + intervals[0][1]
            last_day, closes = (end // DAY - 1, DAY) if end % DAY == 0 else (end // DAY, end % DAY)
            said = {"time": speaker.clock(closes), "day": speaker.days[last_day % 7]}
            ahead = last_day - now // DAY
            sentence = OPEN_UNTIL if ahead == 0 else OPEN_UNTIL_TOMORROW if ahead == 1 else OPEN_UNTIL_DAY
            return True, speaker.say(sentence) % said, None
    start = next((start for start, _ in intervals if start > now), intervals[0][0] + WEEK)
    said = {"time": speaker.clock(start % DAY), "day": speaker.days[start // DAY % 7]}
    ahead = start // DAY - now // DAY
    sentence = OPENS_TODAY if ahead == 0 else OPENS_TOMORROW if ahead == 1 else OPENS_ON
    return False, speaker.say(CLOSED), speaker.say(sentence) % said


def _days_said(days: list[int], speaker: _Speaker) -> str:
    """« du lundi au vendredi et dimanche »: runs of three days or more as a span (across Sunday too)."""
    if len(days) == 7:
        return speaker.say(EVERY_DAY)
    first = next(day for day in range(7) if (day - 1) % 7 not in days and day in days)
    ordered = [(first + i) % 7 for i in range(7) if (first + i) % 7 in days]
    runs: list[list[int]] = []
    for day in ordered:
        if runs and (runs[-1][-1] + 1) % 7 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    runs.sort(key=lambda run: run[0])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(speaker.say(FROM_DAY_TO_DAY) % {"first": speaker.days[run[0]], "last": speaker.days[run[-1]]})
        else:
            parts.extend(speaker.days[day] for day in run)
    return format_list(parts, locale=speaker.locale)


def _week(intervals: list[tuple[int, int]], speaker: _Speaker) -> list[str]:
    """A line per set of days open at the same times, in the order of the week."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for start, end in intervals:
        for day in range(start // DAY, (end - 1) // DAY + 1):
            day_starts = day * DAY
            by_day.setdefault(day % 7, []).append((max(start, day_starts) - day_starts,
                                                   min(end, day_starts + DAY) - day_starts))
    groups: dict[tuple, list[int]] = {}
    for day in sorted(by_day):
        groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
    lines = []
    for ranges, days in sorted(groups.items(), key=lambda group: group[1][0]):
        hours = format_list([speaker.say(DAY_AND_NIGHT) if (opens, closes) == (0, DAY) else speaker.say(
            FROM_TIME_TO_TIME) % {"opens": speaker.clock(opens), "closes": speaker.clock(closes)}
            for opens, closes in ranges], locale=speaker.locale)
        lines.append(speaker.say(DAYS_AND_HOURS) % {"days": _days_said(days, speaker), "hours": hours})
    return lines


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=16)
def _speaker(language: str) -> _Speaker:
    """One per language: its day names and catalogue are read once, not for every card."""
    return _Speaker(language)


def in_words(hours: str | Iterable[str] | None, at: datetime, language: str) -> Words | None:
    """`hours` said in `language` (an ISO 639 code or a locale): the state at `at` (Montréal's local
    time) and the week. Several texts (a person's services) read as one: open when any of them is, and
    none may be unreadable for a claim. None without any hours."""
    texts = [hours] if isinstance(hours, str) else list(hours or ())
    texts = list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))
    if not texts:
        return None
    raw = " ; ".join(texts)
    schedules = [parse(text) for text in texts]
    if any(schedule is None for schedule in schedules):
        return Words(raw=raw, open=None, now=None, next=None, week=(), week_text=raw)
    speaker = _speaker(language)
    intervals = _intervals(schedules)
    is_open_now, now, then = _state(intervals, at, speaker)
    lines = _week(intervals, speaker)
    return Words(raw=raw, open=is_open_now, now=now, next=then, week=tuple(capital(line) for line in lines),
                 week_text=capital(speaker.say(BETWEEN_DAYS).join(lines)))
