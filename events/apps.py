from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Campaigns and events")

    def ready(self) -> None:
        # The meeting workflow is declared in a module of its own, next to the
        # other meeting_* modules; core discovers only `events.workflows`.
        from events import meeting_workflows  # noqa: F401
