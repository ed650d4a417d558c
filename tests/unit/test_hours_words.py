"""Opening hours in words (referral/search/hours.py: in_words), without Neo4j: the state at a moment and the
week, in French (Québec style) and English, and in the family sheet's other languages. The sentences are
the `family` gettext domain: `make translations` compiles it."""

from datetime import datetime

import pytest

from referral.search.hours import in_words

MONDAY, TUESDAY, FRIDAY, SATURDAY, SUNDAY = 3, 4, 7, 8, 9  # March 2025
WEEKDAYS = "lun-ven 09:00-17:00"


def at(day, hour, minute=0):
    return datetime(2025, 3, day, hour, minute)


def now(hours, moment, language="fr"):
    words = in_words(hours, moment, language)
    return words.open, words.today


@pytest.mark.parametrize("hours,moment,french,english", [
    (WEEKDAYS, at(MONDAY, 12), "Ouvert jusqu'à 17 h", "Open until 5 p.m."),
    (WEEKDAYS, at(MONDAY, 9), "Ouvert jusqu'à 17 h", "Open until 5 p.m."),  # opening minute: open
    (WEEKDAYS, at(MONDAY, 8, 59), "Fermé · Ouvre aujourd'hui à 9 h", "Closed · Opens today at 9 a.m."),
    (WEEKDAYS, at(MONDAY, 17), "Fermé · Ouvre demain à 9 h", "Closed · Opens tomorrow at 9 a.m."),  # closing minute
    (WEEKDAYS, at(FRIDAY, 18), "Fermé · Ouvre lundi à 9 h", "Closed · Opens Monday at 9 a.m."),
    (WEEKDAYS, at(SUNDAY, 20), "Fermé · Ouvre demain à 9 h", "Closed · Opens tomorrow at 9 a.m."),
    ("mar-sam 10:00-18:00", at(MONDAY, 12), "Fermé · Ouvre demain à 10 h", "Closed · Opens tomorrow at 10 a.m."),
    ("mar-sam 10:00-18:00", at(SUNDAY, 12), "Fermé · Ouvre mardi à 10 h", "Closed · Opens Tuesday at 10 a.m."),
    # Tuesday evening: the next opening is next week's
    ("mar 10:00-18:00", at(TUESDAY, 19), "Fermé · Ouvre mardi à 10 h", "Closed · Opens Tuesday at 10 a.m."),
    ("lun-ven 08:30-16:30", at(MONDAY, 8), "Fermé · Ouvre aujourd'hui à 8 h 30", "Closed · Opens today at 8:30 a.m."),
    ("lun-ven 08:30-16:30", at(MONDAY, 9), "Ouvert jusqu'à 16 h 30", "Open until 4:30 p.m."),
    ("lun, mer 9h-12h 13h-17h", at(MONDAY, 12, 30), "Fermé · Ouvre aujourd'hui à 13 h",
     "Closed · Opens today at 1 p.m."),
    ("lun-ven 09:00-17:00; sam 10h-14h", at(SATURDAY, 11), "Ouvert jusqu'à 14 h", "Open until 2 p.m."),
    ("sam-lun 10:00-14:00", at(SUNDAY, 11), "Ouvert jusqu'à 14 h", "Open until 2 p.m."),  # across the week's end
    ("lundi-vendredi 9h00-17h00", at(MONDAY, 10), "Ouvert jusqu'à 17 h", "Open until 5 p.m."),
])
def test_the_state_now_in_french_and_english(hours, moment, french, english):
    assert now(hours, moment)[1] == french
    assert now(hours, moment, "en")[1] == english


@pytest.mark.parametrize("hours,moment,french,english", [
    ("lun-ven 18:00-24:00", at(MONDAY, 20), "Ouvert jusqu'à minuit", "Open until midnight"),
    ("lun-ven 18:00-24:00", at(TUESDAY, 0), "Fermé · Ouvre aujourd'hui à 18 h", "Closed · Opens today at 6 p.m."),
    ("lun-ven 00:00-02:00", at(MONDAY, 0), "Ouvert jusqu'à 2 h", "Open until 2 a.m."),
    ("dim 00:00-24:00", at(SUNDAY, 23, 59), "Ouvert jusqu'à minuit", "Open until midnight"),
    # open until midnight, then from 0 h the next day: one stretch
    ("dim 00:00-24:00; lun 0h-2h", at(SUNDAY, 23), "Ouvert jusqu'à demain, 2 h", "Open until 2 a.m. tomorrow"),
    ("sam-dim 0h-24h", at(SATURDAY, 9), "Ouvert jusqu'à demain, minuit", "Open until midnight tomorrow"),
    ("ven-dim 0h-24h", at(FRIDAY, 9), "Ouvert jusqu'à dimanche, minuit", "Open until midnight on Sunday"),
    ("lun-dim 00:00-24:00", at(MONDAY, 3), "Ouvert jour et nuit, tous les jours", "Open day and night, every day"),
])
def test_midnight(hours, moment, french, english):
    assert now(hours, moment) == (french.startswith("Ouvert"), french)
    assert now(hours, moment, "en")[1] == english


@pytest.mark.parametrize("hours,french,english", [
    ("lun-ven 09:00-17:00 ; sam 10h-14h", "Du lundi au vendredi, 9 h à 17 h ; samedi, 10 h à 14 h",
     "Monday to Friday, 9 a.m. to 5 p.m.; Saturday, 10 a.m. to 2 p.m."),
    ("mar-sam 10:00-18:00", "Du mardi au samedi, 10 h à 18 h", "Tuesday to Saturday, 10 a.m. to 6 p.m."),
    ("lun, mer 9h-12h30 13h-17h", "Lundi et mercredi, 9 h à 12 h 30 et 13 h à 17 h",
     "Monday and Wednesday, 9 a.m. to 12:30 p.m. and 1 p.m. to 5 p.m."),
    ("sam-lun 10:00-14:00", "Du samedi au lundi, 10 h à 14 h", "Saturday to Monday, 10 a.m. to 2 p.m."),
    ("sam 10h-14h / lun-ven 9h-17h", "Du lundi au vendredi, 9 h à 17 h ; samedi, 10 h à 14 h",
     "Monday to Friday, 9 a.m. to 5 p.m.; Saturday, 10 a.m. to 2 p.m."),  # in the order of the week
    ("lun-mer 9h-17h; ven 9h-17h", "Du lundi au mercredi et vendredi, 9 h à 17 h",
     "Monday to Wednesday and Friday, 9 a.m. to 5 p.m."),  # the same hours, said once
    ("lun-ven 9h-17h; dim 9h-17h", "Du dimanche au vendredi, 9 h à 17 h",
     "Sunday to Friday, 9 a.m. to 5 p.m."),  # a span across the week's end
    ("lun-mer 9h-12h; lun-mer 13h-17h", "Du lundi au mercredi, 9 h à 12 h et 13 h à 17 h",
     "Monday to Wednesday, 9 a.m. to 12 p.m. and 1 p.m. to 5 p.m."),
    ("lun-dim 0h-24h", "Tous les jours, jour et nuit", "Every day, day and night"),
    ("dim 18:00-24:00", "Dimanche, 18 h à minuit", "Sunday, 6 p.m. to midnight"),
])
def test_the_week_in_words(hours, french, english):
    assert in_words(hours, at(MONDAY, 12), "fr").week_text == french
    assert in_words(hours, at(MONDAY, 12), "en").week_text == english


def test_the_week_line_by_line():
    words = in_words("lun-ven 09:00-17:00 ; sam 10h-14h", at(MONDAY, 12), "fr")
    assert words.week == ("Du lundi au vendredi, 9 h à 17 h", "Samedi, 10 h à 14 h")


def test_a_persons_services_read_as_one():
    morning_and_afternoon = ["lun-ven 09:00-12:00", "lun-ven 12:00-17:00", "lun-ven 09:00-12:00"]
    words = in_words(morning_and_afternoon, at(MONDAY, 10), "fr")
    assert (words.open, words.now) == (True, "Ouvert jusqu'à 17 h")
    assert words.week_text == "Du lundi au vendredi, 9 h à 17 h"
    assert words.raw == "lun-ven 09:00-12:00 ; lun-ven 12:00-17:00"
    assert in_words(["mar-sam 10:00-18:00", WEEKDAYS], at(MONDAY, 12), "fr").now == "Ouvert jusqu'à 17 h"


@pytest.mark.parametrize("hours", ["sur rendez-vous", "lun-ven", "xyz 09:00-17:00", "lun 17:00-09:00",
                                   "lun 25:00-26:00", "lun-ven 09:00-17:00; n'importe quoi",
                                   ["lun-ven 09:00-17:00", "appelez-nous"]])
def test_unreadable_hours_are_shown_as_written_with_no_claim(hours):
    for language in ("fr", "en", "ar"):
        words = in_words(hours, at(MONDAY, 12), language)
        assert words.open is None and words.now is None and words.next is None and words.week == ()
        assert words.today == words.week_text == words.raw
        assert "Ouvert" not in words.today and "Fermé" not in words.today


@pytest.mark.parametrize("hours", [None, "", "   ", [], [None, ""]])
def test_no_hours_say_nothing(hours):
    assert in_words(hours, at(MONDAY, 12), "fr") is None


@pytest.mark.parametrize("language,state,week", [
    ("es", "Abierto hasta las 17:00", "De lunes a viernes, de 9:00 a 17:00; sábado, de 10:00 a 14:00"),
    ("ar", "مفتوح حتى 5:00 م", "من الاثنين إلى الجمعة، من 9:00 ص إلى 5:00 م؛ السبت، من 10:00 ص إلى 2:00 م"),
    ("fa", "باز تا ساعت 17:00", "از دوشنبه تا جمعه، از 9:00 تا 17:00؛ شنبه، از 10:00 تا 14:00"),
    # Babel has no Haitian Creole day names: the catalogue's
    ("ht", "Louvri jiska 17:00", "Depi lendi rive vandredi, depi 9:00 rive 17:00; samdi, depi 10:00 rive 14:00"),
])
def test_the_family_sheets_languages(language, state, week):
    words = in_words("lun-ven 09:00-17:00 ; sam 10h-14h", at(MONDAY, 12), language)
    assert (words.now, words.week_text) == (state, week)
    closed = in_words("lun-ven 09:00-17:00 ; sam 10h-14h", at(SATURDAY, 15), language)
    assert closed.open is False and closed.next and closed.next != closed.now


def test_any_locale_has_its_day_names_and_times_and_an_unknown_one_is_french():
    assert in_words(WEEKDAYS, at(SUNDAY, 12), "en_US").today == "Closed · Opens tomorrow at 9 AM"
    assert "Montag" in in_words(WEEKDAYS, at(MONDAY, 12), "de").week_text
    assert in_words(WEEKDAYS, at(MONDAY, 12), "zz").now == "Ouvert jusqu'à 17 h"
