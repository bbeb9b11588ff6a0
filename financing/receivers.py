"""Financing's answers to what lower apps announce (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from financing.services import applications_tell_product_withdrawn
from products.models import Product


def tell_applicants_product_withdrawn(
    *, product: Product, actor: User, note: str = "", **_: Any
) -> None:
    """A product was withdrawn: the enterprises whose applications to it are
    still open are told."""
    applications_tell_product_withdrawn(product=product, actor=actor, note=note)
