from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site pages and chrome"

    def ready(self):
        from . import signals  # noqa: F401  (connects the page cache's invalidation)
        from .sqlite_statistics import analyze

        # Sent once per app after migrating: for this app alone, so ANALYZE runs once.
        post_migrate.connect(analyze, sender=self, dispatch_uid="sqlite_statistics.analyze")
