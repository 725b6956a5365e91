"""Run the test identity provider: `python -m tests.oidc_provider.serve`.

Binds 127.0.0.1 on a free port first (so the issuer names the real port), sets up its SQLite
database and the one client (Pilotdeck), prints `listening <port>` and serves until killed.
Configuration comes from the environment, set by tests/oidc_provider/live.py:
OIDC_PROVIDER_DB, OIDC_PROVIDER_RSA_KEY, OIDC_PROVIDER_SEED_TOKEN, OIDC_PROVIDER_CLIENT_ID,
OIDC_PROVIDER_CLIENT_SECRET, OIDC_PROVIDER_REDIRECT_URI, OIDC_PROVIDER_POST_LOGOUT_URI.
"""

import os
import socketserver
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per request would drown the test output
        pass


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def exit_with_parent() -> None:
    """The test process holds our stdin open; when it ends (even killed), so do we."""
    sys.stdin.read()
    os._exit(0)


def main() -> None:
    server = ThreadingServer(("127.0.0.1", 0), QuietHandler)
    port = server.server_address[1]
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", run_syncdb=True, verbosity=0)
    Application.objects.update_or_create(
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        defaults={
            "name": "Pilotdeck",
            "client_secret": os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": os.environ["OIDC_PROVIDER_REDIRECT_URI"],
            "post_logout_redirect_uris": os.environ["OIDC_PROVIDER_POST_LOGOUT_URI"],
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    server.set_app(get_wsgi_application())
    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(f"listening {port}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
