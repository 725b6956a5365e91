"""API filters shared by the apps: date-time filters that answer bad input with 400, never 500."""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS


class UtcDateTimeField(forms.DateTimeField):
    """A date and time, converted to UTC before it reaches the database.

    PostgreSQL refuses UTC offsets past ±15:59 (ISO 8601 allows up to ±23:59), and a time close to
    year 1 or 9999 may not survive the conversion: both are the caller's mistake, answered 400."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise ValidationError(
                "Enter a date and time between the years 1 and 9999.", code="invalid"
            ) from error


class UtcDateTimeFilter(django_filters.DateTimeFilter):
    field_class = UtcDateTimeField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with date-time fields filtered through `UtcDateTimeFilter`."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.DateTimeField: {"filter_class": UtcDateTimeFilter},
    }


class StaticFormFilterSet(django_filters.FilterSet):
    """A FilterSet whose validation form is built once per class, not on every request.

    django-filter builds a new form class, field by field, for each request (a third of a
    millisecond on the ledger's list). Only for filters that do not depend on the request: a
    filter whose choices are the caller's pilots (`VisiblePilotFilter`) must not be cached."""

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_static_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._static_form_class = form_class
        return form_class
