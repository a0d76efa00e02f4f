"""The deployment files: nginx accepts deploy/nginx.conf, and gunicorn's worker count follows the CPUs."""

import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.run import render_nginx_conf


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    values = {
        "PREFIX": tmp_path, "MIME_TYPES": "/etc/nginx/mime.types", "UPSTREAM": "127.0.0.1:8000",
        "LISTEN": "127.0.0.1:8080", "SERVER_NAME": "blog.example.com", "STATIC_ROOT": tmp_path / "static",
        "MEDIA_ROOT": tmp_path / "media",
    }  # fmt: skip
    (tmp_path / "nginx.conf").write_text(render_nginx_conf(values))
    result = subprocess.run(["nginx", "-t", "-p", tmp_path, "-c", "nginx.conf"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "proxy_cache_lock on" in (tmp_path / "nginx.conf").read_text()


def test_gunicorn_sizes_workers_from_the_cpu_count(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == 2 * os.cpu_count() + 1
