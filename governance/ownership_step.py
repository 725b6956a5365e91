"""The decision rights as part of the guided flow's ownership step (pilots.ownership_step).

Each right is given to a role of the step — "the technical owner decides prompt changes" — and
saved as that role's person through `decision_right_assign`, so the flow and the one page's
in-place edit share one set of checks. Defaults give every right an owner and a backup as soon as
the two owners are named.
"""

from django import forms

from common.errors import ApplicationError
from pilots.models import PilotRole
from pilots.ownership_step import StepPart, register_step_part

from .models import DecisionRight
from .services import decision_right_assign

Kind = DecisionRight.Kind
Role = PilotRole.Kind
KEEP = "keep"
ROLE_CHOICES = [(kind, PilotRole.Kind(kind).label) for kind in PilotRole.REQUIRED]
# Who decides, and who stands in, unless the step says otherwise.
DEFAULTS = {
    Kind.MODEL_CHOICE: (Role.TECHNICAL_OWNER, Role.BUSINESS_OWNER),
    Kind.PROMPT_CHANGES: (Role.TECHNICAL_OWNER, Role.BUSINESS_OWNER),
    Kind.TOOL_ACCESS: (Role.TECHNICAL_OWNER, Role.BUSINESS_OWNER),
    Kind.DATA_ACCESS: (Role.TECHNICAL_OWNER, Role.BUSINESS_OWNER),
    Kind.APPROVAL_RULES: (Role.BUSINESS_OWNER, Role.TECHNICAL_OWNER),
    Kind.POLICY_UPDATES: (Role.BUSINESS_OWNER, Role.TECHNICAL_OWNER),
    Kind.HIGHER_USAGE: (Role.BUSINESS_OWNER, Role.TECHNICAL_OWNER),
    Kind.FINAL_SIGNOFF: (Role.BUSINESS_OWNER, Role.STOP_AUTHORITY),
}


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


class DecisionRightsStepForm(forms.Form):
    """Two role choices per decision right: who decides and who stands in."""

    def __init__(self, data=None, *, rights: dict[str, DecisionRight]):
        super().__init__(data, prefix="right")
        self.rights = rights
        for kind, label in Kind.choices:
            owner_role, backup_role = DEFAULTS[kind]
            right = rights.get(kind)
            for column, default, person in (
                ("owner", owner_role, right and right.owner),
                ("backup", backup_role, right and right.backup),
            ):
                choices = list(ROLE_CHOICES)
                if person is not None:  # already set, perhaps to someone outside the four roles
                    choices.insert(0, (KEEP, f"{_person(person)} (as now)"))
                name = f"{label}: {'decides' if column == 'owner' else 'backup'}"
                self.fields[f"{kind}_{column}"] = forms.ChoiceField(
                    choices=choices,
                    initial=KEEP if person is not None else default,
                    label=name,
                    widget=forms.Select(attrs={"aria-label": name}),
                )

    def rows(self):
        return [
            (label, [self[f"{kind}_owner"], self[f"{kind}_backup"]]) for kind, label in Kind.choices
        ]


def _form(pilot, data) -> DecisionRightsStepForm:
    rights = {
        right.kind: right
        for right in DecisionRight.objects.filter(pilot=pilot).select_related("owner", "backup")
    }
    return DecisionRightsStepForm(data, rights=rights)


def _save(pilot, by, form: DecisionRightsStepForm) -> None:
    """Give each right to the people now in the chosen roles; a right whose role is still empty
    keeps what it had. Where one person holds both chosen roles, the owner role's backup stands in."""
    roles = {
        role.kind: role
        for role in PilotRole.objects.filter(
            pilot=pilot, kind__in=PilotRole.REQUIRED
        ).select_related("primary", "backup")
    }
    users = {
        user.pk: user
        for role in roles.values()
        for user in (role.primary, role.backup)
        if user is not None
    }
    for kind in Kind.values:
        right = form.rights.get(kind)
        chosen = {}
        for column in ("owner", "backup"):
            value = form.cleaned_data[f"{kind}_{column}"]
            if value == KEEP:
                chosen[column] = getattr(right, column) if right else None
            else:
                role = roles.get(value)
                chosen[column] = users.get(role.primary_id) if role else None
        owner, backup = chosen["owner"], chosen["backup"]
        if owner is None:
            continue  # nobody in that role yet: the gap stays visible on the page
        if backup is not None and backup.pk == owner.pk:
            role = roles.get(form.cleaned_data[f"{kind}_owner"])
            backup = users.get(role.backup_id) if role and role.backup_id else None
        if right and (right.owner_id, right.backup_id) == (owner.pk, getattr(backup, "pk", None)):
            continue
        try:
            decision_right_assign(pilot=pilot, kind=kind, by=by, owner=owner, backup=backup)
        except ApplicationError as error:  # the service names owner/backup: say which right
            error.field_errors = {
                f"{kind}_{name}": messages for name, messages in error.field_errors.items()
            }
            raise


register_step_part(
    StepPart(
        name="decision_rights",
        title="Who decides what",
        help="Each decision goes to one of the roles above, with another as backup.",
        columns=("Decides", "Backup"),
        form=_form,
        save=_save,
    )
)
