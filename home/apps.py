from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site pages and chrome"

    def ready(self):
        from . import signals  # noqa: F401  (connects the page cache's invalidation)
