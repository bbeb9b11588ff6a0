from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Connect the metrics' and the logs' receivers (Django's and Celery's
        # signals), in the web processes and in the workers alike.
        from ops import logs, metrics  # noqa: F401
