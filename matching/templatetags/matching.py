"""The line a product page shows an enterprise: what it can borrow here, and why."""

from __future__ import annotations

from typing import Any

from django import template

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_for
from matching.selectors import product_ranking
from products.models import Product

register = template.Library()


@register.inclusion_tag("matching/_product_fit.html", takes_context=True)
def product_fit(context: dict[str, Any], product: Product) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or product.status != Product.Status.PUBLISHED:
        return {"match": None}
    enterprise = enterprises_for(user=user).select_related("province").order_by("pk").first()
    if enterprise is None:
        return {"match": None}
    match = product_ranking(enterprise=enterprise).for_product(product.pk)
    return {"match": match, "enterprise": enterprise}


@register.inclusion_tag("matching/_products_for_you.html")
def products_for_you(enterprise: Enterprise, limit: int = 3) -> dict[str, Any]:
    """The enterprise workspace's section: the best products for its stated need."""
    ranking = product_ranking(enterprise=enterprise)
    return {"ranking": ranking, "matches": ranking[: min(limit, ranking.eligible_count)]}
