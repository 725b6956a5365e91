"""Starting and stopping the test identity provider, and seeding its people (used by the tests)."""

import json
import os
import secrets
import selectors
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 60
PASSWORD = "provider-pw-for-tests"


def rsa_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class LiveProvider:
    url: str
    client_id: str
    client_secret: str
    seed_token: str
    process: subprocess.Popen

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    @classmethod
    def start(cls, *, folder: Path, redirect_uri: str, post_logout_uri: str) -> "LiveProvider":
        client_id, client_secret = "pilotdeck", secrets.token_urlsafe(24)
        seed_token = secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
            "OIDC_PROVIDER_RSA_KEY": rsa_private_key_pem(),
            "OIDC_PROVIDER_SEED_TOKEN": seed_token,
            "OIDC_PROVIDER_CLIENT_ID": client_id,
            "OIDC_PROVIDER_CLIENT_SECRET": client_secret,
            "OIDC_PROVIDER_REDIRECT_URI": redirect_uri,
            "OIDC_PROVIDER_POST_LOGOUT_URI": post_logout_uri,
        }
        env.pop("DATABASE_URL", None)
        log = open(folder / "provider.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,  # closed when this process ends: the provider then exits
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        port = _read_port(process, folder / "provider.log")
        return cls(
            url=f"http://127.0.0.1:{port}",
            client_id=client_id,
            client_secret=client_secret,
            seed_token=seed_token,
            process=process,
        )

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def person(
        self,
        username: str,
        *,
        email: str,
        groups: list[str] = (),
        email_verified: bool = True,
        first_name: str = "",
        last_name: str = "",
    ) -> str:
        """Create or update someone at the provider; returns their subject (`sub`)."""
        body = {
            "username": username,
            "password": PASSWORD,
            "email": email,
            "email_verified": email_verified,
            "first_name": first_name,
            "last_name": last_name,
            "groups": list(groups),
        }
        request = urllib.request.Request(
            f"{self.url}/seed/person",
            data=json.dumps(body).encode(),
            headers={"X-Seed-Token": self.seed_token, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["sub"]


def _read_port(process: subprocess.Popen, log: Path) -> int:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if line.startswith("listening "):
                return int(line.split()[1])
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"the test identity provider did not start:\n{log.read_text()[-3000:]}")
