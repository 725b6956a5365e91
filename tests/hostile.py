"""The hostile values every write path is tried with: the schema-driven test sends them to each
writable field of each operation, tests/test_hostile_rows.py puts them into otherwise valid rows of
every bulk parser and the CSV import."""

HOSTILE = {
    "huge number": 10**30,
    "NUL byte": "before\x00after",
    "odd unicode": "\u202eevil\u200b \U0001d54f \ufeff",  # RTL override, zero width, astral, BOM
    "lone surrogate": "\ud800",
    "overlong string": "x" * 100_000,
}
