"""Validators for text that must stay on one line: names go into e-mail subjects, page titles and
CSV cells, where a line break or a control character breaks (or injects into) what follows."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Cc: control characters (NUL, tab, CR, LF, …); Zl, Zp: the Unicode line and paragraph separators.
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def single_line(value: str) -> None:
    if any(unicodedata.category(char) in LINE_BREAKING for char in str(value)):
        raise ValidationError(
            "Use one line of plain text: no line breaks or control characters.",
            code="single_line",
        )


def sent_id(value) -> int | None:
    """An object id as a client sent it (a JSON number, or text such as '12'), before any
    validation; None when it cannot be one (a bool, a float, other text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# PostgreSQL refuses NUL in text and UTF-8 cannot carry a lone surrogate: the single-row fields
# (Django's and DRF's validators) answer these messages, and every bulk and import parser too.
NUL_MESSAGE = "Null characters are not allowed."
SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value) -> str:
    """Why `value` cannot be stored as text ("" when it can), in the single-row fields' words."""
    if not isinstance(value, str):
        return ""
    if "\x00" in value:
        return NUL_MESSAGE
    if value.isascii():  # the common case, checked in C: no surrogate can be in it
        return ""
    found = SURROGATE.search(value)
    if found:
        return f"Surrogate characters are not allowed: U+{ord(found.group()):X}."
    return ""
