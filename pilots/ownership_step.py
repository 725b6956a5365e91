"""The guided flow's ownership step: who owns the outcome, the setup, the review and the stop, each
with a different person as backup and a time they respond within — and, from apps above pilots,
the parts they add (governance: the decision rights). The step is saved at once, or not at all.

Apps register their part in AppConfig.ready(), so `pilots` saves decision rights it does not import.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import transaction

from common.errors import ApplicationError, PermissionDenied

from . import services
from .forms import RoleForm, add_service_errors
from .models import Pilot, PilotRole
from .sections import Section

STEP = Section(
    "ownership",
    "Who owns it",
    (),
    "Who owns the outcome, the setup, the review and the stop — each with a different person as "
    "backup and a time they respond within — and who decides what?",
)
ROLE_HELP = {
    PilotRole.Kind.BUSINESS_OWNER: "Owns the outcome: whether the pilot is worth it.",
    PilotRole.Kind.TECHNICAL_OWNER: "Owns the setup: prompts, tools, access, model settings, logs.",
    PilotRole.Kind.REVIEWER: "Reviews the weekly sample of outputs (one person or a small group).",
    PilotRole.Kind.STOP_AUTHORITY: "May pause the pilot at once when something goes wrong.",
}
# Offered until someone types another time: how fast each role answers when asked.
DEFAULT_RESPONSE_MINUTES = {
    PilotRole.Kind.BUSINESS_OWNER: 60 * 24,
    PilotRole.Kind.TECHNICAL_OWNER: 60 * 4,
    PilotRole.Kind.REVIEWER: 60 * 24,
    PilotRole.Kind.STOP_AUTHORITY: 60,
}


@dataclass(frozen=True)
class StepPart:
    """A part of the ownership step that an app above pilots adds.

    `form(pilot, data)` returns a form (bound when `data` is given) with `rows()` giving
    (label, [bound fields]) for the template; `save(pilot, by, form)` writes through the app's
    services once the roles are saved, raising ApplicationError with the form's field names."""

    name: str
    title: str
    help: str
    columns: tuple[str, ...]
    form: Callable[[Pilot, object], forms.Form]
    save: Callable[[Pilot, object, forms.Form], None]


_PARTS: dict[str, StepPart] = {}


def register_step_part(part: StepPart) -> None:
    _PARTS[part.name] = part


class _Rollback(Exception):
    """Raised inside the step's transaction when any part refused: nothing of the step is kept."""


def _role_initial(role: PilotRole | None, kind: str) -> dict:
    if role is None:
        return {"response_minutes": DEFAULT_RESPONSE_MINUTES[kind]}
    return {
        "primary": role.primary_id,
        "backup": role.backup_id,
        "response_minutes": role.response_minutes or DEFAULT_RESPONSE_MINUTES[kind],
        "members": [member.pk for member in role.members.all()],
    }


def _unchanged(role: PilotRole | None, data: dict) -> bool:
    if role is None:
        return not (data.get("primary") or data.get("backup"))

    def pk(user):
        return getattr(user, "pk", None)

    return (
        pk(data.get("primary")) == role.primary_id
        and pk(data.get("backup")) == role.backup_id
        and data.get("response_minutes") == role.response_minutes
        and {pk(m) for m in data.get("members") or []} == {m.pk for m in role.members.all()}
    )


class OwnershipStep:
    """One RoleForm per required role (prefixed by its kind), then each registered part."""

    def __init__(self, pilot: Pilot, data=None):
        self.pilot = pilot
        self.roles = {
            role.kind: role
            for role in PilotRole.objects.filter(pilot=pilot, kind__in=PilotRole.REQUIRED)
            .select_related("primary", "backup")
            .prefetch_related("members")
        }
        self.role_forms = [
            (
                kind,
                PilotRole.Kind(kind).label,
                ROLE_HELP[kind],
                RoleForm(
                    data,
                    prefix=kind,
                    kind=kind,
                    initial=_role_initial(self.roles.get(kind), kind),
                ),
            )
            for kind in PilotRole.REQUIRED
        ]
        self.parts = [(part, part.form(pilot, data)) for part in _PARTS.values()]
        self.top_errors: list[str] = []

    @property
    def forms(self) -> list[forms.Form]:
        return [form for *_, form in self.role_forms] + [form for _, form in self.parts]

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms]  # every form, so each shows its errors
        return all(valid)

    def save(self, *, by) -> bool:
        """Save every role, then every part, in one transaction; False (with errors on the
        fields) when any of them refused."""
        try:
            with transaction.atomic():
                failed = False
                # The business owner last: a creator handing the role on keeps edit rights until
                # everything else is saved.
                for kind, _, _, form in sorted(
                    self.role_forms, key=lambda row: row[0] == PilotRole.Kind.BUSINESS_OWNER
                ):
                    if _unchanged(self.roles.get(kind), form.cleaned_data):
                        continue
                    failed |= not self._call(
                        form,
                        lambda form=form, kind=kind: services.role_assign(
                            pilot=self.pilot, kind=kind, by=by, **form.cleaned_data
                        ),
                    )
                for part, form in self.parts:
                    failed |= not self._call(
                        form, lambda part=part, form=form: part.save(self.pilot, by, form)
                    )
                if failed:
                    raise _Rollback
        except _Rollback:
            return False
        return True

    def _call(self, form, write) -> bool:
        try:
            write()
        except PermissionDenied as error:
            self.top_errors.append(
                f"{error.message} Keep yourself as business or technical owner to finish the flow."
            )
            return False
        except ApplicationError as error:
            add_service_errors(form, error)
            return False
        return True
