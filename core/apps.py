from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        # Every app's workflow declarations (`<app>/workflows.py`), so that
        # `core.workflow.WORKFLOWS` lists them all.
        autodiscover_modules("workflows")
