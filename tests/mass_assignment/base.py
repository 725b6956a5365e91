"""What the mass-assignment table is built from: a write, its forbidden fields, their values."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from tests.matrix import Matrix

LONG_AGO = "2001-02-03T04:05:06Z"
LONG_AGO_DAY = "2001-02-05"  # a Monday
NO_SUCH_ID = 987_654


@dataclass(frozen=True)
class Forbid:
    field: str
    value: object  # or a callable of the Matrix
    attr: str | None = None  # the model attribute it would land in, when not `field`


@dataclass(frozen=True)
class Write:
    name: str
    role: str
    method: str
    url: Callable[[Matrix], str]
    payload: Callable[[Matrix], object]
    target: Callable[[Matrix, object], models.Model]  # the row the write made or changed
    forbidden: tuple[Forbid, ...]


def created(model):
    return lambda m, body: model.objects.get(pk=body["id"])


def the(dotted):
    """An object of the matrix, e.g. "w.reviewer_role"."""
    return lambda m, body: resolve(m, dotted)


def stranger(m):
    return m.user("stranger")


def elsewhere(m):
    return m.elsewhere.pk


def audit_fields(*names) -> tuple[Forbid, ...]:
    return tuple(
        Forbid(name, NO_SUCH_ID if name == "id" else LONG_AGO, attr="pk" if name == "id" else None)
        for name in names
    )


def resolve(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj
