"""A tie's origin, date and session agree (referral/directory/tie_rules.py), without Neo4j."""

from datetime import date

from referral.directory.tie_rules import tie_faults

MN = {"id": "mn", "name": "Montréal-Nord", "start": date(2022, 11, 1)}
ASL = {"id": "asl", "name": "Saint-Laurent", "start": date(2023, 5, 1)}
SESSION = {"number": 2, "date": date(2022, 12, 14), "territory": "mn", "territory_name": "Montréal-Nord"}


def test_before_ei_is_dated_before_either_territorys_cohort():
    assert tie_faults(date(2022, 10, 31), "before_ei", None, [MN, ASL]) == {}
    fault = tie_faults(date(2022, 11, 1), "before_ei", None, [ASL, MN])["since"]
    assert "2022-11-01" in str(fault) and "Montréal-Nord" in str(fault)  # the earlier of the two
    assert set(tie_faults(date(2026, 12, 4), "before_ei", None, [ASL])) == {"since"}


def test_a_tie_born_at_a_session_is_dated_that_day_in_one_of_their_territories():
    assert tie_faults(date(2022, 12, 14), "ei_session", SESSION, [MN]) == {}
    assert "2022-12-14" in str(tie_faults(date(2022, 12, 20), "ei_session", SESSION, [MN])["since"])
    assert "Montréal-Nord" in str(tie_faults(date(2022, 12, 14), "ei_session", SESSION, [ASL])["session"])


def test_only_a_tie_born_at_a_session_names_one():
    assert set(tie_faults(date(2022, 12, 14), "declared", SESSION, [MN])) == {"session"}
    assert tie_faults(date(2025, 1, 1), "declared", None, [MN]) == {}
    assert tie_faults(date(2025, 1, 1), "referral", None, []) == {}  # nobody's territory known: nothing to compare
