from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        # Products sits below financing and may not import it: financing asks
        # to hear of withdrawals, to tell the enterprises with open applications.
        from financing.services import applications_tell_product_withdrawn
        from products.services import on_product_withdrawn

        on_product_withdrawn(applications_tell_product_withdrawn)
