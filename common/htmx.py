"""One view serves the full page and, for an htmx request, only the named partial it swaps."""

from django.shortcuts import render


def render_page_or_partial(request, template: str, context: dict, *, partial: str | None = None):
    """Render `template`, or `template#partial` when htmx asked for a fragment."""
    if partial and getattr(request, "htmx", False):
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)
