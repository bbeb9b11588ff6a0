"""What needs a role's attention, at the top of its workspace (ipfin.workspaces).

The bank's products page and the enterprise's workspace belong to lower apps,
which cannot read applications or invitations; these tags, registered in
settings (TEMPLATES' `libraries`), draw the block for them."""

from __future__ import annotations

from typing import Any

from django import template

from enterprises.models import Enterprise
from ipfin.workspaces import enterprise_attention, institution_attention

register = template.Library()


@register.inclusion_tag("workspace/_institution_attention.html", takes_context=True)
def institution_attention_block(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"attention": institution_attention(user=request.user)}


@register.inclusion_tag("workspace/_enterprise_attention.html", takes_context=True)
def enterprise_attention_block(context: dict[str, Any], enterprise: Enterprise) -> dict[str, Any]:
    request = context["request"]
    return {"attention": enterprise_attention(user=request.user, enterprise=enterprise)}
