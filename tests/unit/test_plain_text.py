"""One line or plain text, without control characters — and without breaking emoji or Arabic."""

from referral.plain_text import is_one_line, one_line, without_controls

FAMILY = "Café des familles 🌱👨\u200d👩\u200d👧"  # zero-width joiners: one emoji, not three


def test_format_characters_are_text_and_controls_are_not():
    assert is_one_line(FAMILY) and is_one_line("بيت العائلة") and is_one_line("بيت\u200cالعائلة")
    assert not is_one_line("بيت العائلة\u200f")  # a direction mark hides a name's twin (outside pass of issue 21)
    assert not is_one_line("Sandrine\r\nBcc: x@y") and not is_one_line("a\x00b") and not is_one_line("a\u2028b")


def test_controls_are_dropped_and_lines_kept_when_asked():
    assert without_controls("Liste\x00 fermée\x07 ") == "Liste fermée"
    assert without_controls("Bonjour,\r\nà demain", keep="\n") == "Bonjour,\nà demain"
    assert without_controls(FAMILY) == FAMILY and without_controls(None) == ""


def test_a_header_is_one_line():
    assert one_line("Nouvelle référence de Sandrine\r\nSender  (n° AB12)") == \
        "Nouvelle référence de Sandrine Sender (n° AB12)"
