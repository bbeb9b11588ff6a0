from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The security log listens to sign-ins and allauth's account and
        # second-factor signals; the schema learns the personal token.
        from accounts import receivers, schema  # noqa: F401
