"""Role and data fixtures for the whole suite (loaded by tests/conftest.py via pytest_plugins)."""
