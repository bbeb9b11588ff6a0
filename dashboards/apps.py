from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        # Register the rollup task in every process, so apps below this one can
        # enqueue it by name and it runs in-process when Celery is eager.
        from dashboards import tasks  # noqa: F401
