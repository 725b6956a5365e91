"""Makes the permission tests' `world` (permission_helpers.py) a fixture of this directory."""

from tests.pilots.permission_helpers import world  # noqa: F401  (a fixture)
