"""The data class of a pilot's data sources, set by its owners on the one page."""

from django.db import transaction

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed
from pilots import access as pilot_access
from pilots.models import Pilot

from ..models import DataClass, DataSourceClass


@transaction.atomic
def data_source_classify(
    *, pilot: Pilot, by, source: str, data_class: DataClass | None
) -> DataSourceClass | None:
    """Say which data class one of the pilot's data sources is; None goes back to the name match."""
    if not pilot_access.can_edit(by, pilot):
        raise PermissionDenied(
            "Only the pilot's business or technical owner classifies its data sources."
        )
    if source not in (pilot.data_sources or []):
        message = "Pick one of the data sources declared in the pilot's setup."
        raise ApplicationError(message, field_errors={"source": [message]})
    current = DataSourceClass.objects.select_for_update().filter(pilot=pilot, source=source).first()
    if data_class is None:
        if current is not None:
            current._history_user = by
            current.delete()
            pilot_facts_changed(pilot.pk)
        return None
    if current is not None and current.data_class_id == data_class.pk:
        return current
    row = current or DataSourceClass(pilot=pilot, source=source)
    row.data_class = data_class
    row.set_by = by
    row._history_user = by
    row.save()
    pilot_facts_changed(pilot.pk)
    return row
