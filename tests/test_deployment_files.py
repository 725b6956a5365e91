"""The deployment files cannot be run here (no Docker engine, no CI inside CI), so they are kept
honest by checking that everything they name exists in this project: services, management
commands, the Celery app and scheduler, the WSGI callable, environment variables, scripts,
make targets and vendored assets."""

import ast
import importlib
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command, get_commands
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
MAKEFILE = ROOT / "Makefile"
CI_RUN = ROOT / ".ci" / "run"
VENDOR = ROOT / "static" / "vendor"

EXPECTED_SERVICES = {"postgres", "redis", "web", "worker", "beat"}
# Services that run this project's image (the others are stock postgres/redis images, whose
# environment variables are read by those images, not by us).
APP_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _command_line(command) -> str:
    """A compose `command` (list or string) as one shell line, unwrapping `sh -c "..."`."""
    if isinstance(command, list):
        if command[:2] in (["sh", "-c"], ["bash", "-c"], ["/bin/sh", "-c"]):
            return command[2]
        return shlex.join(command)
    return command


def _simple_commands(line: str) -> list[list[str]]:
    """Split `a && b; exec c` into argv lists, dropping a leading `exec`."""
    argvs = []
    for part in re.split(r"&&|\|\||;", line):
        argv = shlex.split(part)
        if argv and argv[0] == "exec":
            argv = argv[1:]
        if argv:
            argvs.append(argv)
    return argvs


def _option(argv: list[str], *names: str) -> str | None:
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name and i + 1 < len(argv):
                return argv[i + 1]
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _app_commands(compose: dict) -> dict[str, list[list[str]]]:
    return {
        name: _simple_commands(_command_line(compose["services"][name]["command"]))
        for name in sorted(APP_SERVICES)
    }


def _dockerfile_cmd() -> list[str]:
    match = re.search(r"^CMD\s+(\[.*\])\s*$", DOCKERFILE.read_text(), re.MULTILINE)
    assert match, "Dockerfile has no exec-form CMD"
    return yaml.safe_load(match.group(1))  # a JSON array is valid YAML


def check_command(argv: list[str]) -> str:
    """Assert that one command names things that exist here; return what kind it was."""
    program = Path(argv[0]).name
    if program.startswith("python") and argv[1:2] == ["manage.py"]:
        name = argv[2]
        assert name in get_commands(), f"`manage.py {name}` is not a management command"
        return f"manage.py {name}"
    if program == "celery":
        from celery import Celery
        from celery.app.utils import find_app
        from celery.beat import Scheduler
        from celery.utils.imports import symbol_by_name

        import config.celery

        app_name = _option(argv, "-A", "--app")
        assert app_name == "config", f"celery -A {app_name}: this project's Celery app is `config`"
        app = find_app(app_name)  # resolved exactly as the celery CLI does
        assert isinstance(app, Celery) and app is config.celery.app
        sub = next(a for a in argv[1:] if not a.startswith("-") and a != app_name)
        assert sub in {"worker", "beat"}, f"unexpected celery sub-command {sub}"
        scheduler = _option(argv, "-S", "--scheduler")
        if scheduler:
            cls = symbol_by_name(scheduler)
            assert isinstance(cls, type) and issubclass(cls, Scheduler), scheduler
        return f"celery {sub}"
    if program == "gunicorn":
        target = next(a for a in argv[1:] if re.fullmatch(r"[\w.]+:\w+", a))
        module_name, attr = target.split(":")
        application = getattr(importlib.import_module(module_name), attr)
        assert callable(application), f"{target} is not a WSGI callable"
        return "gunicorn"
    raise AssertionError(f"unknown command in deployment files: {shlex.join(argv)}")


def test_compose_has_the_five_services(compose):
    missing = EXPECTED_SERVICES - set(compose["services"])
    assert not missing, f"docker-compose.yml lacks services {missing}"
    for name in APP_SERVICES:
        assert "build" in compose["services"][name], f"{name} must run this project's image"
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert "healthcheck" in compose["services"]["postgres"]
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_compose_commands_name_real_things(compose):
    kinds = {
        name: [check_command(argv) for argv in argvs]
        for name, argvs in _app_commands(compose).items()
    }
    assert kinds["web"] == ["manage.py migrate", "manage.py collectstatic", "gunicorn"]
    assert kinds["worker"] == ["celery worker"]
    assert kinds["beat"] == ["celery beat"]
    beat = _app_commands(compose)["beat"][0]
    assert _option(beat, "-S", "--scheduler") == "django_celery_beat.schedulers:DatabaseScheduler"


def test_dockerfile_cmd_names_real_things():
    assert check_command(_dockerfile_cmd()) == "gunicorn"


def _env_names_read_by_config() -> set[str]:
    """Every string literal in config/*.py, plus what dj_database_url reads implicitly."""
    names = set()
    for path in (ROOT / "config").rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "config"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "dj_database_url"
            ):
                env = next((k.value for k in node.keywords if k.arg == "env"), None)
                names.add(env.value if isinstance(env, ast.Constant) else "DATABASE_URL")
    return names


def test_compose_environment_is_read_by_the_project(compose):
    read = _env_names_read_by_config()
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert isinstance(environment, dict), "use the mapping form for environment"
        for var in environment:
            assert var in read, (
                f"{name}: {var} is set in docker-compose.yml but never read in config/"
            )
        settings_module = environment["DJANGO_SETTINGS_MODULE"]
        assert settings_module == "config.settings.production"
        assert importlib.util.find_spec(settings_module) is not None


def test_dockerfile_installs_from_the_lock_file():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert re.search(r"^RUN .*\buv sync --locked\b.*--no-dev", text, re.MULTILINE)
    venv = re.search(r"UV_PROJECT_ENVIRONMENT=(\S+)", text)
    venv_bin = f"{venv.group(1)}/bin" if venv else "/app/.venv/bin"
    assert re.search(rf'PATH="{re.escape(venv_bin)}:\$PATH"', text), (
        f"PATH must start with {venv_bin}"
    )


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def test_ci_runs_make_test_strict():
    assert _executable(CI_RUN)
    code = [line for line in CI_RUN.read_text().splitlines() if not line.lstrip().startswith("#")]
    assert any(re.fullmatch(r"\s*(exec\s+)?make test STRICT=1\s*", line) for line in code)
    # Strict mode must really reach the tests: scripts/test --strict sets what conftest reads.
    script = (ROOT / "scripts" / "test").read_text()
    assert "export PILOTDECK_REQUIRE_SERVICES=1" in script


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_targets():
    text = MAKEFILE.read_text()
    for target in ("run", "test", "bench", "lint", "fmt"):
        assert re.search(rf"^{target}:", text, re.MULTILINE), f"Makefile has no `{target}` target"

    # Under `make test STRICT=1` make passes its variables down in MAKEFLAGS; drop them so the
    # dry runs below see only the variables they set.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "ARGS", "STRICT"}
    }

    def dry_run(*args: str) -> str:
        out = subprocess.run(
            ["make", "-n", "-f", str(MAKEFILE), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert dry_run("run") == "scripts/run"
    assert dry_run("test") == "scripts/test"
    assert dry_run("test", "STRICT=1", "ARGS=-k foo") == "scripts/test --strict -k foo"
    for script in ("scripts/run", "scripts/test"):
        assert _executable(ROOT / script), f"{script} missing or not executable"


# --- Vendored front-end assets ------------------------------------------------------------------


def _vendored_chartjs() -> Path:
    files = sorted(VENDOR.glob("chart-*.umd.min.js"))
    assert len(files) == 1, f"expected exactly one vendored Chart.js, found {files}"
    return files[0]


def test_vendored_chartjs_is_what_its_name_says():
    path = _vendored_chartjs()
    version = re.fullmatch(r"chart-(4\.\d+\.\d+)\.umd\.min\.js", path.name).group(1)
    text = path.read_text()
    assert f"Chart.js v{version}" in text[:200]
    assert (VENDOR / "chart.js-LICENSE.md").read_text().startswith("The MIT License")
    # An upstream `//# sourceMappingURL=` to a map we do not ship breaks collectstatic's manifest.
    assert "sourceMappingURL" not in text


def test_collectstatic_with_production_storage(tmp_path):
    """What `manage.py collectstatic` does in production (hashing, reference rewriting,
    compression) succeeds for every static file, ours and the apps'."""
    from config.settings import base

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=base.STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert (tmp_path / "vendor" / _vendored_chartjs().name).exists()


def test_live_server_serves_static_files(live_server):
    """Browser tests get /static/ (STATICFILES_DIRS and app static) from the live server."""
    path = _vendored_chartjs()
    with urllib.request.urlopen(f"{live_server.url}/static/vendor/{path.name}", timeout=10) as r:
        assert r.status == 200
        assert r.read() == path.read_bytes()
    with urllib.request.urlopen(f"{live_server.url}/static/admin/css/base.css", timeout=10) as r:
        assert r.status == 200
