"""Small views of the site's chrome."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """/favicon.ico, which feed readers and old browsers ask for whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
