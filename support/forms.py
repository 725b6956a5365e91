"""Forms for the guardrail pages, the use-case requests and the data-source classes of a pilot."""

from django import forms

from pilots.models import Pilot

from .models import DataClass

DATE = {"type": "date"}


class DataClassChoice(forms.ModelChoiceField):
    def label_from_instance(self, data_class):
        return data_class.name


class DataClassesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, data_class):
        return f"{data_class.name} — {data_class.rule}" if data_class.rule else data_class.name


def _data_classes():
    return DataClass.objects.order_by("level", "name")


class CanIUseForm(forms.Form):
    tool = forms.CharField(
        max_length=120,
        label="The tool",
        widget=forms.TextInput(attrs={"list": "approved-tools", "autocomplete": "off"}),
        help_text="Pick an approved tool or type the one you have in mind.",
    )
    data_class = DataClassChoice(
        queryset=DataClass.objects.none(), label="The data", empty_label="— which data? —"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_class"].queryset = _data_classes()


class UseCaseRequestForm(forms.Form):
    name = forms.CharField(max_length=200, label="A short name", help_text="e.g. Renewal summaries")
    task = forms.CharField(
        max_length=300,
        label="What task should AI help with?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. Draft renewal summaries for account managers from CRM notes.",
    )
    team_name = forms.CharField(
        max_length=120,
        label="Which team?",
        widget=forms.TextInput(attrs={"list": "known-teams", "autocomplete": "off"}),
    )
    data_classes = DataClassesChoice(
        queryset=DataClass.objects.none(),
        label="Which data would it touch?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick the kinds of data it would touch."},
    )
    data_detail = forms.CharField(
        required=False,
        label="The data, in your words",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. CRM notes and open support tickets.",
    )
    tool = forms.CharField(
        max_length=120,
        label="Which tool?",
        widget=forms.TextInput(attrs={"list": "approved-tools", "autocomplete": "off"}),
        help_text="An approved tool needs fewer approvals than a new one.",
    )
    use_areas = forms.MultipleChoiceField(
        choices=Pilot.UseArea.choices,
        required=False,
        label="Where would its output be used?",
        widget=forms.CheckboxSelectMultiple,
    )
    benefit = forms.CharField(
        required=False,
        label="What would it save or improve?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_classes"].queryset = _data_classes()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class ApprovedToolForm(forms.Form):
    name = forms.CharField(max_length=120, label="Tool")
    approved_for = forms.CharField(
        label="What it is approved for",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. internal summaries, first drafts and research support.",
    )
    data_classes = DataClassesChoice(
        queryset=DataClass.objects.none(),
        required=False,
        label="Data it may be used with",
        widget=forms.CheckboxSelectMultiple,
    )
    review_date = forms.DateField(
        required=False,
        label="Review by",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text="After this day the approval lapses until it is reviewed again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_classes"].queryset = _data_classes()


class DataSourceClassForm(forms.Form):
    source = forms.CharField(max_length=300, widget=forms.HiddenInput)
    data_class = DataClassChoice(
        queryset=DataClass.objects.none(), required=False, empty_label="— match by its name —"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_class"].queryset = _data_classes()
