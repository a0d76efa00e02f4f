from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site pages and chrome"

    def ready(self):
        from wagtail.signals import page_published

        from . import signals  # noqa: F401  (connects the page cache's invalidation)
        from .site_address import follow_configuration
        from .sqlite_statistics import analyze, published

        # post_migrate is sent once per app: taken for this app alone, each receiver runs once.
        post_migrate.connect(analyze, sender=self, dispatch_uid="sqlite_statistics.migrated")
        post_migrate.connect(follow_configuration, sender=self, dispatch_uid="site_address.migrated")
        page_published.connect(published, dispatch_uid="sqlite_statistics.published")
