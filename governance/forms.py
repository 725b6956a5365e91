from django import forms

from pilots.forms import User, UserChoiceField

from .models import Change, RuleSettings
from .rules.stop_rules import RULE_DESCRIPTIONS


class DecisionRightForm(forms.Form):
    owner = UserChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("first_name", "username"),
        required=False,
    )
    backup = UserChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("first_name", "username"),
        required=False,
    )


class ChangeProposeForm(forms.Form):
    kind = forms.ChoiceField(choices=Change.Kind.choices)
    title = forms.CharField(max_length=200, label="What changes")
    hypothesis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why: what do we expect it to improve?",
        max_length=4000,
    )
    new_value = forms.CharField(
        max_length=120, required=False, label="New prompt or model version (optional)"
    )


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(required=False, max_length=2000)


class ChangeOutcomeForm(forms.Form):
    verdict = forms.ChoiceField(choices=Change.Verdict.choices)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class RuleSettingsForm(forms.ModelForm):
    disabled_rules = forms.MultipleChoiceField(
        choices=[(name, name.replace("_", " ")) for name in RULE_DESCRIPTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Rules switched off for this pilot",
    )

    class Meta:
        model = RuleSettings
        fields = [
            "review_grace_days",
            "rising_weeks",
            "max_live_changes_per_week",
            "max_failure_percent",
            "disabled_rules",
            "webhook_url",
            "webhook_secret",
        ]
        widgets = {"webhook_secret": forms.PasswordInput(render_value=True)}
