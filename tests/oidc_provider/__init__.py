"""A real OpenID Connect provider for the sign-in tests: a second Django process running
django-oauth-toolkit's OIDC provider (RS256 key made at start, SQLite in a temporary folder).

`live.LiveProvider` starts it (`python -m tests.oidc_provider.serve`) on a free port and seeds its
people; the rest of this package is that process's project (settings, urls, validator, models)
and is never imported by the test process itself.
"""
