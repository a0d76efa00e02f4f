"""deploy/: gunicorn's worker count follows the CPUs, and the systemd units run what exists here
(nginx is tested live in test_nginx.py, the worker in test_worker.py)."""

import configparser
import importlib
import os
import runpy
import shlex
from pathlib import Path

from django.core.management import load_command_class

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_gunicorn_sizes_workers_from_the_cpu_count(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 2 * os.cpu_count() + 1


def unit(name):
    """A systemd unit of deploy/, as systemd reads its sections (the ExecStart command split into words)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(DEPLOY / name)
    return parser


def test_the_worker_unit_runs_the_worker_with_options_it_takes(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as outside the tests
    words = shlex.split(unit("escribe-worker.service")["Service"]["ExecStart"])
    assert words[1:3] == ["manage.py", "worker"]
    command = load_command_class("machinery", "worker")
    command.create_parser("manage.py", "worker").parse_args(words[3:])  # exits on an unknown option


def test_the_web_unit_runs_gunicorn_with_this_configuration():
    words = shlex.split(unit("escribe-web.service")["Service"]["ExecStart"])
    assert (DEPLOY.parent / words[words.index("-c") + 1]).is_file()
    module, _, name = words[-1].partition(":")
    assert callable(getattr(importlib.import_module(module), name))
    assert (
        unit("escribe-worker.service")["Service"]["EnvironmentFile"]
        == unit("escribe-web.service")["Service"]["EnvironmentFile"]
    )
