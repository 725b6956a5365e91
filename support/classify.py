"""Which data class each declared data source is, and which of a pilot's tools are not approved
for the data it touches: plain values in, plain-language problems out (no ORM here).

A data source is classified by its pilot's owners on the one page; without that, by name: the
source's name is compared, word by word, with each data class's name and aliases, and when several
match the most sensitive class wins (so "Client CRM notes" is client confidential, not internal).
"""

import re
from dataclasses import dataclass, field
from datetime import date


def normalise(text: str) -> str:
    """'Order history (read-only)' → 'order history': lower case, words only, no parentheses."""
    text = re.sub(r"\([^)]*\)", " ", (text or "").lower())
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True)
class ClassRow:
    id: int
    name: str
    level: int
    rule: str = ""
    needs_security_approval: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for term in (normalise(self.name), *map(normalise, self.aliases)) if term)


@dataclass(frozen=True)
class ToolRow:
    id: int
    name: str
    class_ids: frozenset[int] = frozenset()
    review_date: date | None = None
    approved_for: str = ""

    def lapsed(self, today: date) -> bool:
        return self.review_date is not None and self.review_date < today


@dataclass(frozen=True)
class SourceClass:
    source: str
    data_class: ClassRow | None
    how: str = ""  # "set" by the pilot's owners, "name" matched, "" unclassified


@dataclass
class Register:
    """The approved tools and the data classes, looked up by name."""

    classes: dict[int, ClassRow] = field(default_factory=dict)
    tools: dict[str, ToolRow] = field(default_factory=dict)  # keyed by lower-case name

    def tool(self, name: str) -> ToolRow | None:
        return self.tools.get((name or "").strip().lower())

    def match(self, source: str) -> ClassRow | None:
        padded = f" {normalise(source)} "
        found = [
            row for row in self.classes.values() if any(f" {term} " in padded for term in row.terms)
        ]
        return max(found, key=lambda row: (row.level, row.id)) if found else None

    def classify(self, sources, mapping: dict[str, int]) -> list[SourceClass]:
        """Each source with its class: the owners' choice first, else the name match."""
        result = []
        for source in sources or []:
            chosen = self.classes.get(mapping.get(source, 0))
            if chosen is not None:
                result.append(SourceClass(source, chosen, "set"))
            else:
                matched = self.match(source)
                result.append(SourceClass(source, matched, "name" if matched else ""))
        return result


def tool_problems(
    *, tools, classified: list[SourceClass], register: Register, today: date
) -> list[str]:
    """'Order lookup is not approved for Personal data', … — empty when every tool may touch
    every class of data the pilot reads. A pilot without tools has no tool problem."""
    tools = [tool for tool in tools or [] if str(tool).strip()]
    if not tools:
        return []
    problems = [
        f"“{item.source}” has no data class yet, so its tools cannot be checked against it."
        for item in classified
        if item.data_class is None
    ]
    classes = list(
        {item.data_class.id: item.data_class for item in classified if item.data_class}.values()
    )
    for name in tools:
        entry = register.tool(name)
        if entry is None:
            problems.append(f"{name} is not in the approved tools register.")
            continue
        if entry.lapsed(today):
            problems.append(
                f"{entry.name}'s approval lapsed on {entry.review_date:%-d %b %Y} and must be reviewed again."
            )
        problems.extend(
            f"{entry.name} is not approved for {data_class.name} data."
            for data_class in sorted(classes, key=lambda row: (row.level, row.name))
            if data_class.id not in entry.class_ids
        )
    return problems
