"""The support panel of the one page: the data rules for the data sources the pilot declares, the
human review its use areas require, the approval of each of its tools, and the company lane
contacts that fill the lanes it leaves empty."""

from pilots import access
from pilots.onepage import Panel, register_history, register_panel

from .models import DataSourceClass
from .selectors import pilot_guardrails


def support_panel_context(pilot, user) -> dict:
    """Five queries whatever the number of data sources, tools and lanes."""
    return {
        "support": pilot_guardrails(pilot=pilot),
        "support_can_edit": access.can_edit(user, pilot),
    }


register_panel(Panel("support", "support/panels/support.html", 55, support_panel_context))
register_history(
    "Data source classes", lambda pilot: DataSourceClass.history.filter(pilot_id=pilot.pk)
)
