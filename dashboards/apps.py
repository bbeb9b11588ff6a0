from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from dashboards import checks  # noqa: F401 (registers the figures' checks)
        from dashboards.receivers import recount_event
        from events.signals import event_figures_changed

        event_figures_changed.connect(recount_event, dispatch_uid="dashboards.recount_event")
