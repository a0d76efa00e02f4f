#!/usr/bin/env python
"""Django's command-line utility for E-Scribe."""

import os
import sys

import sitepackage  # noqa: F401  (lets ``site.settings`` import: see sitepackage.py)

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.dev")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
