"""Forms for the one page: one per section, built from the model's fields, plus the list inputs."""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import fields_for_model, model_to_dict

from common.errors import ApplicationError
from common.stale import add_version
from common.validators import single_line

from .form_fields import PeopleChoiceField, ResponseTimeField, UserChoiceField
from .models import Pilot, PilotRole, Team
from .sections import SECTIONS, Section

User = get_user_model()
MAX_RESPONSE_MINUTES = 60 * 24 * 14

BAD_DAY_SCENARIOS = [
    ("missing data", "Missing data"),
    ("wrong answer", "A wrong answer"),
    ("timeout", "A timeout"),
    ("cost spike", "A cost spike"),
]


# Apps above pilots offer values for a list field (support: the approved tools for "tools"), so
# the form suggests them without `pilots` importing those apps. A provider returns a list of strings.
_SUGGESTIONS: dict[str, Callable[[], list[str]]] = {}


def register_suggestions(field_name: str, provider: Callable[[], list[str]]) -> None:
    _SUGGESTIONS[field_name] = provider


def suggestions_for(field_name: str) -> list[str]:
    provider = _SUGGESTIONS.get(field_name)
    return list(provider()) if provider else []


class ListInput(forms.Widget):
    """A list of one-line entries that add and remove rows in place (static/js/app.js)."""

    template_name = "pilots/widgets/list_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["suggestions"] = suggestions_for(name)
        return context

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def format_value(self, value):
        return list(value or [])


class ListField(forms.Field):
    widget = ListInput
    max_items = 30
    max_length = 300

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if item and item.strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_items:
            raise forms.ValidationError(f"Keep the list to {self.max_items} entries or fewer.")
        for item in value:
            if len(item) > self.max_length:
                raise forms.ValidationError(
                    f"Keep each entry under {self.max_length} characters: “{item[:40]}…”."
                )


class PercentListField(forms.CharField):
    """'50, 80, 100' ⇄ [50, 80, 100]."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        try:
            return [int(part.strip().rstrip("%")) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                "Write whole percents separated by commas, e.g. 50, 80, 100."
            ) from None


FIELD_OVERRIDES = {
    "never_do": lambda: ListField(label="Never-do actions", required=False),
    "skip_ai_cases": lambda: ListField(label="Cases that go straight to a person", required=False),
    "override_cases": lambda: ListField(
        label="When staff must stop and check manually", required=False
    ),
    "data_sources": lambda: ListField(label="Data sources", required=False),
    "tools": lambda: ListField(label="Tools it may use", required=False),
    "use_areas": lambda: forms.MultipleChoiceField(
        label="Where its output is used",
        choices=Pilot.UseArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Financial, legal, HR and client-facing work need human review before use.",
    ),
    "handoff_response_minutes": lambda: ResponseTimeField(
        label="They respond within", required=False, max_minutes=MAX_RESPONSE_MINUTES
    ),
    "alert_thresholds": lambda: PercentListField(
        label="Spend alerts at (% of the monthly cap)", required=False, help_text="e.g. 50, 80, 100"
    ),
    "bad_day_scenarios": lambda: forms.MultipleChoiceField(
        label="Bad-day scenarios tried",
        choices=BAD_DAY_SCENARIOS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    ),
    "normal_day_agreed": lambda: forms.NullBooleanField(
        label="Did everyone agree what to do within five minutes?",
        required=False,
        widget=forms.Select(choices=[("unknown", "Not run yet"), ("true", "Yes"), ("false", "No")]),
    ),
    "bad_day_agreed": lambda: forms.NullBooleanField(
        label="Did everyone agree what to do within five minutes?",
        required=False,
        widget=forms.Select(choices=[("unknown", "Not run yet"), ("true", "Yes"), ("false", "No")]),
    ),
}
DATE_FIELDS = {"next_review_date", "drills_run_on"}
# Names go into e-mail subjects, page titles and CSV cells: one line, as the API requires too.
SINGLE_LINE_FIELDS = {"name"}


class SectionForm(forms.Form):
    """Edits one section of the one page. Validation beyond field types lives in the service."""

    section: Section

    @classmethod
    def for_section(cls, section: Section) -> type["SectionForm"]:
        fields = fields_for_model(
            Pilot, fields=[f for f in section.fields if f not in FIELD_OVERRIDES]
        )
        for name in section.fields:
            if name in FIELD_OVERRIDES:
                fields[name] = FIELD_OVERRIDES[name]()
            elif name in DATE_FIELDS:
                fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if name in SINGLE_LINE_FIELDS:
                fields[name].validators.append(single_line)
        ordered = {name: fields[name] for name in section.fields}
        return type(f"{section.name.title()}SectionForm", (cls,), {**ordered, "section": section})

    @classmethod
    def bound_to(cls, section: Section, pilot: Pilot, data=None) -> "SectionForm":
        """The section's form, carrying the version of the pilot it was opened at (a save over a
        newer change is refused: common.stale)."""
        form = cls.for_section(section)(
            data=data, initial=model_to_dict(pilot, fields=section.fields)
        )
        return add_version(form, pilot)


class BasicsForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the pilot", validators=[single_line])
    summary = forms.CharField(
        max_length=300,
        required=False,
        label="The workflow in one sentence",
        help_text="e.g. Draft first replies to routine support tickets using the help center and order data.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="— no team yet —"
    )
    new_team = forms.CharField(
        max_length=120, required=False, label="…or a new team", validators=[single_line]
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("team") and cleaned.get("new_team"):
            self.add_error("new_team", "Pick a team or name a new one, not both.")
        return cleaned


class RoleForm(forms.Form):
    primary = UserChoiceField(required=False)
    backup = UserChoiceField(required=False)
    response_minutes = ResponseTimeField(
        max_minutes=MAX_RESPONSE_MINUTES, required=False, label="Responds within"
    )
    members = PeopleChoiceField(required=False, label="Others in the reviewer group")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != PilotRole.Kind.REVIEWER:
            del self.fields["members"]
        if kind in PilotRole.LANES:
            self.fields["primary"].label = "Named contact"


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Pilot.Status.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def section_by_name(name: str) -> Section | None:
    return next((section for section in SECTIONS if section.name == name), None)


def add_service_errors(form, error: ApplicationError, *, prefix: str = "") -> None:
    """Put a service's field errors next to the fields the form has, the rest at the top.

    `prefix` names the form's fields after the service's (`owner` → `model_choice_owner`)."""
    placed = False
    for field, messages in error.field_errors.items():
        name = f"{prefix}{field}"
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
                placed = True
            else:
                form.add_error(None, message)
    if not placed and not error.field_errors:
        form.add_error(None, error.message)
