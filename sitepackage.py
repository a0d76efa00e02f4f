"""Make this project's ``site/`` folder importable as the ``site`` package.

Python imports its standard-library ``site`` module before any project code
runs, so ``import site.settings`` would fail with "'site' is not a package".
The design card keeps the name anyway.  A module becomes a package as soon as
it has a ``__path__``, so we give the already-imported standard-library module
one that points at our folder: ``site.settings``, ``site.urls`` and
``site.wsgi`` then import normally while ``site.getsitepackages()`` and the
rest of the standard module keep working.

Every entry point runs this first:

* ``manage.py`` imports it directly;
* everything else started from the virtualenv (gunicorn, pytest,
  ``django-admin``) runs it at interpreter start-up through the
  ``escribe-site.pth`` file that ``python sitepackage.py`` (run by ``make``)
  writes into the virtualenv's site-packages.
"""

import site
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent

site.__path__ = [str(PROJECT_DIR / "site")]


def install_pth():
    """Write the .pth file that puts the project on sys.path and runs this module."""
    target = Path(site.getsitepackages()[0]) / "escribe-site.pth"
    target.write_text(f"{PROJECT_DIR}\nimport sitepackage\n")
    return target


if __name__ == "__main__":
    print(f"wrote {install_pth()}", file=sys.stderr)
