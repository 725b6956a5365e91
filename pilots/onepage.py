"""The one page is composed of panels; apps above `pilots` register theirs in AppConfig.ready().

This keeps dependencies one way: `pilots` renders panels it does not import.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from . import access
from .completeness import piloting_gaps
from .models import Pilot, PilotRole
from .sections import SECTIONS
from .selectors import roles_by_kind, status_changes
from .services import allowed_transitions, resume_refusals


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    context: Callable[[Pilot, object], dict]


_PANELS: dict[str, Panel] = {}
# The htmx event an in-place save sends (HX-Trigger): panels that read what it changed listen with
# hx-trigger="pilot-changed from:body" and fetch themselves again (views.pilot_panel).
PILOT_CHANGED = "pilot-changed"
TOP_SLOT = 10
HISTORY_LIMIT = 25
_HISTORY_SOURCES: list[tuple[str, Callable[[Pilot], QuerySet]]] = []


def register_panel(panel: Panel) -> None:
    _PANELS[panel.name] = panel


def panel_template(name: str) -> str | None:
    panel = _PANELS.get(name)
    return panel.template if panel else None


def register_history(label: str, records: Callable[[Pilot], QuerySet]) -> None:
    """`records(pilot)` returns the simple-history records of rows that belong to the pilot."""
    if all(existing != label for existing, _ in _HISTORY_SOURCES):
        _HISTORY_SOURCES.append((label, records))


register_history("The one page", lambda pilot: Pilot.history.filter(id=pilot.pk))
register_history("Ownership", lambda pilot: PilotRole.history.filter(pilot_id=pilot.pk))


@dataclass
class HistoryEntry:
    label: str
    record: object
    changes: list[tuple[str, object, object]]

    @property
    def subject(self) -> str:
        """What the record is about, read from its own columns (no query per row)."""
        if getattr(self.record, "title", ""):
            return self.record.title
        if hasattr(self.record, "get_kind_display"):
            return self.record.get_kind_display()
        return ""

    @property
    def verb(self) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}[self.record.history_type]


def history_entries(pilot: Pilot, *, limit: int = 25) -> list[HistoryEntry]:
    """Who changed what, newest first, from every registered source: one query per source."""
    entries = []
    for label, records in _HISTORY_SOURCES:
        fetched = list(
            records(pilot)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        model = records(pilot).model
        tracked = [
            field
            for field in model.tracked_fields
            if field.name not in {"id", "created_at", "updated_at"}
        ]
        by_object = defaultdict(list)
        for record in reversed(fetched):  # oldest first, so each record meets its predecessor
            previous = by_object[record.id][-1] if by_object[record.id] else None
            by_object[record.id].append(record)
            changes = []
            if previous is not None:
                for field in tracked:
                    before, after = getattr(previous, field.attname), getattr(record, field.attname)
                    if before != after:
                        changes.append((field.verbose_name, before, after))
                if not changes and record.history_type == "~":
                    continue
            entries.append(HistoryEntry(label=label, record=record, changes=changes))
    entries.sort(key=lambda entry: entry.record.history_date, reverse=True)
    return entries[:limit]


def onepage_context(pilot: Pilot, user) -> dict:
    """Everything the one page shows: the pilot's own sections, then every registered panel."""
    roles = roles_by_kind(pilot)
    context = {
        "pilot": pilot,
        "sections": SECTIONS,
        "roles": roles,
        "required_roles": [(kind, roles.get(kind)) for kind in PilotRole.REQUIRED],
        "lanes": [(kind, roles.get(kind)) for kind in PilotRole.LANES],
        "role_labels": dict(PilotRole.Kind.choices),
        "can_edit": access.can_edit(user, pilot),
        "can_stop": access.can_stop(user, pilot),
        "transitions": allowed_transitions(pilot=pilot, user=user),
        "resume_refusals": resume_refusals(pilot) if access.can_stop(user, pilot) else [],
        "status_changes": status_changes(pilot=pilot),
        "history": history_entries(pilot, limit=HISTORY_LIMIT),
        "history_limit": HISTORY_LIMIT,
    }
    context["piloting_gaps"] = (
        piloting_gaps(pilot)
        if pilot.status == Pilot.Status.DRAFT and Pilot.Status.PILOTING in context["transitions"]
        else None
    )
    if context["resume_refusals"]:  # offer what can be done (retire), say why resume cannot
        context["transitions"] = [
            status for status in context["transitions"] if status == Pilot.Status.RETIRED
        ]
    panels = sorted(_PANELS.values(), key=lambda panel: panel.order)
    # Panels ordered below TOP_SLOT (urgent things: stop-now errors, alerts) sit under the title.
    context["top_panels"] = [panel.template for panel in panels if panel.order < TOP_SLOT]
    context["panels"] = [panel.template for panel in panels if panel.order >= TOP_SLOT]
    for panel in panels:
        context.update(panel.context(pilot, user))
    return context
