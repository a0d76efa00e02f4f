import pytest
from django.core.management import call_command

from blog.models import BlogIndexPage

from .factories import BlogIndexFactory


@pytest.fixture
def blog(db):
    """An empty blog at the site root."""
    return BlogIndexFactory()


@pytest.fixture
def demo(db):
    """The seed's site, as ``make run`` shows it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return BlogIndexPage.objects.get()
