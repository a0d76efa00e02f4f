from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
