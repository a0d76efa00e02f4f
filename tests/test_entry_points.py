"""Every way of starting the project finds ``site.settings`` despite the standard library's ``site``."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .live_site import PROJECT, free_port, start_gunicorn, stop_server

BIN = Path(sys.executable).parent


def own_environment(tmp_path):
    """This environment with a throwaway data folder, and the site's default database and caches (in it)
    whatever the suite runs on: finding the settings is the same on every engine."""
    unset = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")
    return {k: v for k, v in os.environ.items() if k not in unset} | {"ESCRIBE_DATA_DIR": str(tmp_path)}


def run(args, tmp_path, **env):
    """Run a command from an unrelated folder, with a throwaway data folder."""
    environment = own_environment(tmp_path) | env
    return subprocess.run(args, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)


def test_manage_py(tmp_path):
    result = run([sys.executable, PROJECT / "manage.py", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_django_admin_with_settings_module(tmp_path):
    result = run([BIN / "django-admin", "check"], tmp_path, DJANGO_SETTINGS_MODULE="site.settings.dev")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_pytest_collects_from_anywhere(tmp_path):
    tests = PROJECT / "tests" / "test_models.py"
    result = run([sys.executable, "-m", "pytest", "--collect-only", "-q", tests], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_demo_tree_rules" in result.stdout


def test_standard_library_site_still_works(tmp_path):
    code = "import site, site.settings.base as b; print(site.getsitepackages()[0], b.ROOT_URLCONF)"
    result = run([sys.executable, "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "site.urls"


def test_gunicorn_serves_the_app(tmp_path):
    environment = own_environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "site.settings.dev"}
    port = free_port()
    server = start_gunicorn(port, environment, "--workers", "1", cwd=tmp_path, log=tmp_path / "gunicorn.log")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/escribe.css", timeout=5) as r:
            assert r.status == 200
            assert b".site-header" in r.read()
    finally:
        stop_server(server)


def test_recycled_gunicorn_workers_leave_cleanly_while_readers_are_served(tmp_path):
    """Workers restarted after max_requests leave at once (deploy/gunicorn.conf.py's worker_exit), with status 0."""
    environment = own_environment(tmp_path) | {
        "DJANGO_SETTINGS_MODULE": "site.settings.dev",
        "GUNICORN_MAX_REQUESTS": "5",
    }
    port, log = free_port(), tmp_path / "gunicorn.log"
    server = start_gunicorn(port, environment, "--workers", "1", cwd=tmp_path, log=log)
    try:
        for _ in range(40):  # each worker serves 5 to 10 requests
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/escribe.css", timeout=30) as r:
                assert r.status == 200
    finally:
        stop_server(server)
    text = log.read_text()
    assert text.count("Autorestarting worker") >= 3
    assert "exited with code" not in text and "Exception" not in text


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("None", 0), ("3", 3), ("'failed'", 1)])
def test_a_leaving_worker_keeps_the_status_gunicorn_gave_it(tmp_path, code, status):
    """It leaves without Python's teardown (no atexit handler runs), and gunicorn halts when a worker fails to boot
    (status 3): the quick exit must not turn that into a success."""
    script = f"{WORKER_EXIT}try:\n    raise SystemExit({code})\nfinally:\n    exit_hook(None, worker)\n"
    result = run_python(script, tmp_path)
    assert (result.returncode, result.stdout) == (status, "")


def test_the_master_calling_worker_exit_for_a_worker_already_gone_carries_on(tmp_path):
    """gunicorn's master calls the hook when it finds a worker gone: the master must not exit with it."""
    script = f"{WORKER_EXIT}worker.pid += 1\nexit_hook(None, worker)\nprint('still serving')\n"
    assert run_python(script, tmp_path).stdout.splitlines() == ["still serving", "torn down"]


WORKER_EXIT = (  # deploy/gunicorn.conf.py's hook, and a worker as gunicorn passes it, in this process
    "import atexit, os, runpy, types\n"
    "atexit.register(print, 'torn down')\n"
    f"exit_hook = runpy.run_path({str(PROJECT / 'deploy' / 'gunicorn.conf.py')!r})['worker_exit']\n"
    "worker = types.SimpleNamespace(pid=os.getpid())\n"
)


def run_python(script, tmp_path):
    return run(
        [sys.executable, "-c", script], tmp_path, DJANGO_SETTINGS_MODULE="site.settings.dev", PYTHONPATH=str(PROJECT)
    )
