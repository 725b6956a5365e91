"""What the ledger services share: who may record costs, pilot look-up for many rows, row errors."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.errors import ApplicationError, PermissionDenied
from common.validators import sent_id
from pilots import access
from pilots.models import Pilot, PilotRole

# One call takes thousands of rows; past this, split the push. (A request body must also stay
# under Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default: about 15,000 compact rows.)
MAX_ROWS_PER_CALL = 10_000

NO_SUCH_PILOT = "No such pilot, or you cannot see it."
MAY_NOT_RECORD = "Only the pilot's business or technical owner, or finance, may record its costs."


def may_record_costs(user, pilot: Pilot) -> bool:
    """The pilot's business and technical owners, finance and administrators record its costs.

    Composed only of pilots.access checks; a machine (an LLM gateway) pushes with the token of a
    user who holds one of these."""
    return access.can_edit(user, pilot) or access.is_finance(user)


def require_may_record(user, pilot: Pilot) -> None:
    if not may_record_costs(user, pilot):
        raise PermissionDenied(MAY_NOT_RECORD)


class RowErrors(ApplicationError):
    """Some rows of a push are wrong: nothing was saved. `rows` lists each bad row's errors."""

    def __init__(
        self, rows: list[dict], *, message: str = "Some rows are wrong; nothing was saved."
    ):
        super().__init__(message)
        self.rows = rows


@dataclass
class PushResult:
    """What a push did, row by row in the order sent: (status, id)."""

    rows: list[tuple[str, int]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row_status, _ in self.rows if row_status == status)


def visible_pilots(user, ids: Iterable[int], *, only: tuple[str, ...] = ()) -> dict[int, Pilot]:
    """The pilots among `ids` that `user` may see, with the user's roles on them known: two
    queries at most. `only`: just these fields (a caller reading a few of a pilot's sixty
    columns)."""
    ids = set(ids)
    if not ids:
        return {}
    queryset = access.scope_pilots(user).filter(pk__in=ids)
    if only:
        queryset = queryset.only(*only)
    pilots = {pilot.pk: pilot for pilot in queryset}
    if pilots and not access.sees_every_pilot(user):
        # Who may record on each pilot follows from the user's roles on it (`id_resolver`): one
        # query for the kinds, no role or member loaded. Finance and administrators may record
        # on all of them, so their pushes need none.
        held = PilotRole.objects.filter(access.holds_role_q(user), pilot_id__in=pilots)
        kinds = defaultdict(set)
        for pilot_id, kind in held.values_list("pilot_id", "kind"):
            kinds[pilot_id].add(kind)
        for pilot_id, pilot in pilots.items():
            access.know_roles(user, pilot, kinds[pilot_id])
    return pilots


def id_resolver(user, pilots: dict[int, Pilot]):
    """Resolve a row's pilot id to a pilot `user` may record costs on, or say why not."""
    allowed: dict[int, bool] = {}
    # Finance and administrators may record on every pilot they see (see `visible_pilots`).
    everywhere = access.is_admin(user) or access.is_finance(user)
    answers: dict = {}  # by the value sent (a batch names a few pilots, a thousand times)

    def resolve(value) -> tuple[Pilot | None, str]:
        if value.__class__ is int or value.__class__ is str:  # never a bool, a float or a list
            answer = answers.get(value)
            if answer is None:
                answer = answers[value] = check(value)
            return answer
        return check(value)

    def check(value) -> tuple[Pilot | None, str]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, "Name the pilot."
        pk = sent_id(value)
        if pk is None:
            return None, "Give the pilot's id (a whole number)."
        pilot = pilots.get(pk)
        if pilot is None:
            return None, NO_SUCH_PILOT
        if pk not in allowed:
            allowed[pk] = everywhere or may_record_costs(user, pilot)
        if not allowed[pk]:
            return None, MAY_NOT_RECORD
        return pilot, ""

    return resolve


def check_rows_payload(rows) -> list:
    if not isinstance(rows, list):
        raise ApplicationError(
            "Send a JSON list of rows.",
            field_errors={"non_field_errors": ["Send a JSON list of rows."]},
        )
    if not rows:
        raise ApplicationError(
            "The list is empty.", field_errors={"non_field_errors": ["Send at least one row."]}
        )
    if len(rows) > MAX_ROWS_PER_CALL:
        message = f"Send at most {MAX_ROWS_PER_CALL:,} rows per call; split the push."
        raise ApplicationError(message, field_errors={"non_field_errors": [message]})
    return rows


def lock_pilots(pilot_ids: Iterable[int]) -> None:
    """Serialize writers of the same pilots' idempotency keys and volumes (not their readers).

    FOR NO KEY UPDATE does not block inserts that merely reference the pilot, so plain ledger
    writes go on; two pushes for the same pilot take turns, which makes "is this key new?" exact.
    """
    ids = sorted(set(pilot_ids))
    if ids:
        list(
            Pilot.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk")
        )
