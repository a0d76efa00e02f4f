"""gunicorn's worker count follows the CPUs (nginx is tested live in test_nginx.py)."""

import os
import runpy
from pathlib import Path


def test_gunicorn_sizes_workers_from_the_cpu_count(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == 2 * os.cpu_count() + 1
