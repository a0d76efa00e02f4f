"""What the machinery follows, connected once from ``MachineryConfig.ready()``.

The page cache (machinery/page_cache.py) empties on every change a reader could see:
Wagtail's signals for pages, Privacy settings and Sites; taggit's tags; every site
setting (any ``BaseSiteSetting``, found among the installed models as Wagtail's
frontend cache finds page models); and ``content_changed``, which the content apps
send for the rest. A request reads the cache's version once, from Django's request_started
to request_finished. After every ``migrate``, which every deploy runs, the cache empties,
the planner's statistics are taken again and the default Site follows configuration;
after every publish, SQLite's statistics are taken again.
"""

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_migrate, post_save
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache, planner_statistics, site_address
from .signals import content_changed


def changed(sender, **kwargs):
    """Something a reader could see changed: every cached page is stale."""
    page_cache.invalidate()


def changed_unless_created(sender, created=False, **kwargs):
    """A setting is created with the defaults the page was just rendered with; a new tag shows only once on a
    published post, and publishing empties the cache anyway."""
    if not created:
        page_cache.invalidate()


def register_signal_handlers():
    request_started.connect(page_cache.begin_request)
    request_finished.connect(page_cache.end_request)
    for signal in (page_published, page_unpublished, post_page_move, content_changed):
        signal.connect(changed)
    post_delete.connect(changed, sender=Page)
    # A Privacy setting hides or shows pages from the moment it is made; a Site changes every absolute URL;
    # a redirect from an address with a query string is looked for by its parameters (query_redirects.py).
    for model in (PageViewRestriction, Site, Redirect):
        post_save.connect(changed, sender=model)
        post_delete.connect(changed, sender=model)
    setting_models = [model for model in apps.get_models() if issubclass(model, BaseSiteSetting)]
    for model in (Tag, *setting_models):
        post_save.connect(changed_unless_created, sender=model)
    post_delete.connect(changed, sender=Tag)

    # post_migrate is sent once per app with models, after all migrations ran: taken for Wagtail's
    # core app alone (this app has no models, so it is sent none), each receiver runs once.
    wagtail = apps.get_app_config("wagtailcore")
    post_migrate.connect(changed, sender=wagtail)  # pages rendered by the old code must not outlive a deploy
    post_migrate.connect(planner_statistics.analyze, sender=wagtail)
    post_migrate.connect(site_address.follow_configuration, sender=wagtail)
    page_published.connect(planner_statistics.refresh_sqlite_after_publish)
