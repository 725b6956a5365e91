"""Validators for text that must stay on one line: names go into e-mail subjects, page titles and
CSV cells, where a line break or a control character breaks (or injects into) what follows."""

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
