"""The sections of the one page, in reading order; each is also a step of the guided create flow."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    fields: tuple[str, ...]
    prompt: str  # the question the guided flow asks


SECTIONS: tuple[Section, ...] = (
    Section(
        "basics", "The pilot", ("name", "team", "summary"), "What is the pilot, in one sentence?"
    ),
    Section(
        "job",
        "The job",
        ("trigger", "task_input", "task_output", "limits"),
        "What starts it, what goes in, what comes out, and where does it stop?",
    ),
    Section(
        "cases",
        "Never, skip and override",
        ("never_do", "skip_ai_cases", "override_cases"),
        "What must the AI never do, which cases go straight to a person, and when must staff check manually?",
    ),
    Section(
        "handoff",
        "Handoff rule",
        ("handoff_conditions", "handoff_receiver", "handoff_response_minutes"),
        "When does the AI stop and hand the task to a person, who receives it, and how fast must they respond?",
    ),
    Section(
        "fallback",
        "Fallback path",
        ("fallback_action", "fallback_detail"),
        "What happens when the AI fails mid-task or is unavailable?",
    ),
    Section(
        "setup",
        "Setup",
        (
            "model_name",
            "model_version",
            "prompt_version",
            "data_sources",
            "tools",
            "use_areas",
            "average_daily_volume",
        ),
        "Which model and prompt, which data and tools, where the output is used, and how many tasks a day?",
    ),
    Section(
        "review",
        "Review rhythm",
        ("review_cadence", "review_weekday", "review_sample_size", "next_review_date"),
        "How often is a sample reviewed, how big is it, and when is the next review?",
    ),
    Section(
        "cost",
        "Cost rules",
        (
            "monthly_cap",
            "alert_thresholds",
            "cost_per_task_limit",
            "savings_stop_minutes",
            "one_more_team_multiplier",
            "busy_month_multiplier",
        ),
        "What may it spend, when do alerts go out, and when do the savings stop justifying it?",
    ),
    Section(
        "expansion",
        "Expansion rule",
        ("expansion_metric", "expansion_threshold", "expansion_weeks"),
        "What must hold, and for how many weeks, before another team may use it?",
    ),
    Section(
        "drills",
        "Normal day and bad day",
        (
            "drills_run_on",
            "normal_day_walkthrough",
            "normal_day_agreed",
            "bad_day_scenarios",
            "bad_day_walkthrough",
            "bad_day_agreed",
        ),
        "Walk through a routine case and a bad one: did everyone agree what to do within five minutes?",
    ),
)

# The guided flow: the basics, then who owns it (pilots.ownership_step, not a field section), then
# every other section in the one page's order.
OWNERSHIP_STEP = "ownership"
WIZARD_STEPS = (
    OWNERSHIP_STEP,
    *(section.name for section in SECTIONS if section.name != "basics"),
)
