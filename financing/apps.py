from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        from financing.receivers import tell_applicants_product_withdrawn
        from products.signals import product_withdrawn

        product_withdrawn.connect(
            tell_applicants_product_withdrawn, dispatch_uid="financing.tell_applicants"
        )
