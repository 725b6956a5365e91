"""The write table of tests/test_mass_assignment.py: every write endpoint, its forbidden fields."""

from tests.mass_assignment import costs, governance, pilots, reviews, support

WRITES = [*pilots.WRITES, *governance.WRITES, *reviews.WRITES, *costs.WRITES, *support.WRITES]
