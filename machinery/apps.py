from django.apps import AppConfig


class MachineryConfig(AppConfig):
    """What every request and every change goes through, whatever the content: see machinery/__init__.py."""

    name = "machinery"
    verbose_name = "Site machinery"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
