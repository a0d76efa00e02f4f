"""The floor of `make bench`: the least a Django view can cost here, behind the same gunicorn.

One view, no middleware, no database, no template: it answers every path with the bytes of
the file FLOOR_PAGE (the bench writes the busy post's page there). Every uncached page is
reported as a share of this figure, measured in the same run (issue 14).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

settings.configure(DEBUG=False, SECRET_KEY="floor-only", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[])  # noqa: S106
BODY = Path(os.environ["FLOOR_PAGE"]).read_bytes()


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
