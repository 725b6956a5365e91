"""A `pilot` filter for every API list: it only accepts pilots the caller may see.

A pilot id you cannot see is refused exactly like an id that does not exist (400), so a filter
never tells a stranger that a pilot exists. Other apps' filtersets use it too.
"""

import django_filters

from pilots.access import scope_pilots
from pilots.models import Pilot


def visible_pilots(request):
    return scope_pilots(request.user) if request is not None else Pilot.objects.none()


class VisiblePilotFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_pilots)
        super().__init__(*args, **kwargs)
