"""Classifying data sources and finding tools not approved for the data: pure functions."""

from datetime import date

import pytest

from support.classify import ClassRow, Register, SourceClass, ToolRow, normalise, tool_problems

TODAY = date(2026, 11, 22)
PUBLIC = ClassRow(1, "Public", 1, aliases=("help center",))
INTERNAL = ClassRow(2, "Internal", 2, aliases=("wiki", "notes"))
CLIENT = ClassRow(3, "Client confidential", 5, aliases=("crm", "client"))
REGISTER = Register(
    classes={row.id: row for row in (PUBLIC, INTERNAL, CLIENT)},
    tools={
        "order lookup": ToolRow(10, "Order lookup", frozenset({1, 2})),
        "old bot": ToolRow(11, "Old bot", frozenset({1}), review_date=date(2026, 11, 21)),
    },
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Order history (read-only)", "order history"),
        ("Help-center  articles", "help center articles"),
        ("CRM: notes / calls", "crm notes calls"),
    ],
)
def test_names_are_compared_word_by_word(text, expected):
    assert normalise(text) == expected


def test_a_source_matches_a_class_by_name_or_alias_as_whole_words():
    assert REGISTER.match("Help center articles") == PUBLIC
    assert REGISTER.match("Team wiki") == INTERNAL
    assert REGISTER.match("Wikipedia exports") is None  # "wiki" is not a word of it
    assert REGISTER.match("Internal") == INTERNAL


def test_the_most_sensitive_class_wins_when_several_match():
    assert REGISTER.match("Client notes from the CRM") == CLIENT


def test_the_owners_choice_beats_the_name():
    [item] = REGISTER.classify(["Client notes"], {"Client notes": INTERNAL.id})
    assert (item.data_class, item.how) == (INTERNAL, "set")
    [item] = REGISTER.classify(["Client notes"], {})
    assert (item.data_class, item.how) == (CLIENT, "name")


def test_tools_are_found_case_insensitively():
    assert REGISTER.tool("  ORDER lookup ").name == "Order lookup"
    assert REGISTER.tool("Chat assistant") is None


def problems(tools, sources):
    return tool_problems(
        tools=tools, classified=REGISTER.classify(sources, {}), register=REGISTER, today=TODAY
    )


def test_a_tool_approved_for_every_class_of_data_has_no_problem():
    assert problems(["Order lookup"], ["Help center", "Team wiki"]) == []


def test_a_tool_not_approved_for_one_class_is_named_with_it():
    assert problems(["Order lookup"], ["Help center", "CRM"]) == [
        "Order lookup is not approved for Client confidential data."
    ]


def test_a_tool_outside_the_register_and_an_unclassified_source_are_problems():
    found = problems(["Chat assistant"], ["Mystery export"])
    assert "Chat assistant is not in the approved tools register." in found
    assert any("“Mystery export” has no data class yet" in problem for problem in found)


def test_a_lapsed_approval_is_a_problem_until_reviewed():
    [problem] = problems(["Old bot"], ["Help center"])
    assert "lapsed on 21 Nov 2026" in problem


def test_a_pilot_without_tools_has_no_tool_problem_whatever_its_data():
    assert problems([], ["CRM", "Mystery export"]) == []
    assert problems(["  "], ["CRM"]) == []


def test_each_class_is_checked_once_even_when_several_sources_share_it():
    classified = [
        SourceClass("CRM", CLIENT, "name"),
        SourceClass("Client list", CLIENT, "name"),
    ]
    found = tool_problems(
        tools=["Order lookup"], classified=classified, register=REGISTER, today=TODAY
    )
    assert found == ["Order lookup is not approved for Client confidential data."]
