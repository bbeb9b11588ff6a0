"""The product workflow, declared once (core.workflow).

An institution's members publish a draft, withdraw a published product and
publish a withdrawn one again; colleagues are told of each. The services in
`products.services` make the moves; the workspace page, the API and their
URLs are built from this declaration."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import lazystr
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.workflow import Workflow, action, confirm
from products import forms
from products.models import Product, ProductStatusChange
from products.selectors import institution_ids_for

S = Product.Status
INSTITUTION = "institution"
# Colleagues read only the subject of a product notice.
NO_BODY = lazystr("")


def _sides(product: Product, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not isinstance(user, User):
        return set()
    return {INSTITUTION} if product.institution_id in institution_ids_for(user=user) else set()


PRODUCT: Workflow[Product] = Workflow(
    name="product",
    model=Product,
    history=ProductStatusChange,
    subject="product",
    initial=[S.DRAFT],
    sides=_sides,
    not_your_side=_("Only members of the institution may do this."),
    params=lambda product: {"name": product},
    actions={
        "publish": action(
            S.PUBLISHED,
            sources=[S.DRAFT, S.WITHDRAWN],
            by=INSTITUTION,
            label=_("Publish"),
            refusal=_(
                "Only a draft or a withdrawn product can be published; this one is “%(status)s”."
            ),
            done=_("“%(name)s” is published."),
            notice=(_("%(product)s was published by %(actor)s"), NO_BODY),
        ),
        "withdraw": action(
            S.WITHDRAWN,
            sources=[S.PUBLISHED],
            by=INSTITUTION,
            label=_("Withdraw"),
            form=forms.WithdrawForm,
            refusal=_("Only a published product can be withdrawn; this one is “%(status)s”."),
            done=_("“%(name)s” is withdrawn from the catalogue."),
            notice=(_("%(product)s was withdrawn by %(actor)s"), NO_BODY),
            confirm=confirm(
                _(
                    "“%(name)s” leaves the catalogue: enterprises no longer find it or "
                    "apply for it."
                ),
                _(
                    "Enterprises whose applications to it are still open are told; "
                    "those applications go on."
                ),
                _("Your colleagues are told. You may publish it again later."),
            ),
        ),
    },
)
