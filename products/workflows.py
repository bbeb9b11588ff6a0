"""The product workflow, declared once (core.workflow).

An institution's members publish a draft, withdraw a published product and
publish a withdrawn one again; colleagues are told of each. The services in
`products.services` make the moves; the workspace page, the API and their
URLs are built from this declaration."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise, lazystr
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.workflow import MoveNotAllowed, Workflow, action
from products import forms
from products.models import Product, ProductStatusChange
from products.selectors import institution_ids_for

S = Product.Status
INSTITUTION = "institution"
# Colleagues read only the subject of a product notice.
NO_BODY = lazystr("")


def _sides(product: Product, user: User | AnonymousUser) -> set[str]:
    return {INSTITUTION} if product.institution_id in institution_ids_for(user=user) else set()


class ProductWorkflow(Workflow[Product]):
    """A refusal names the statuses its move leaves from ("Only a draft or a
    withdrawn product can be published; this one is published."), which the
    one sentence of `Workflow.refusal` cannot say per action."""

    def __init__(self, *, refusals: dict[str, Promise], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refusals = refusals

    def refused(self, obj: Product, name: str) -> MoveNotAllowed:
        status = self.label_of(self.status_of(obj)).lower()
        return MoveNotAllowed(self.refusals[name] % {"status": status})


PRODUCT = ProductWorkflow(
    name="product",
    model=Product,
    history=ProductStatusChange,
    subject="product",
    initial=[S.DRAFT],
    sides=_sides,
    not_your_side=_("Only members of the institution may do this."),
    actions={
        "publish": action(
            S.PUBLISHED,
            sources=[S.DRAFT, S.WITHDRAWN],
            by=INSTITUTION,
            label=_("Publish"),
            notice=(_("%(product)s was published by %(actor)s"), NO_BODY),
        ),
        "withdraw": action(
            S.WITHDRAWN,
            sources=[S.PUBLISHED],
            by=INSTITUTION,
            label=_("Withdraw"),
            form=forms.WithdrawForm,
            notice=(_("%(product)s was withdrawn by %(actor)s"), NO_BODY),
        ),
    },
    refusals={
        "publish": _(
            "Only a draft or a withdrawn product can be published; this one is %(status)s."
        ),
        "withdraw": _("Only a published product can be withdrawn; this one is %(status)s."),
    },
)
