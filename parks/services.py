"""Writes for parks. Who may add a park (a regulator of its province) is
checked above, where regulators are known (organisations.services)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from core.models import Province
from parks.models import Park


def _unique_slug(*, name_en: str, province: Province) -> str:
    base = slugify(name_en)[:72].strip("-") or f"park-{province.pk}"
    slug, n = base, 1
    while Park.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def park_create(
    *,
    name_zh: str,
    province: Province,
    city_zh: str,
    kind: str,
    name_en: str = "",
    city_en: str = "",
    address: str = "",
    website: str = "",
    description: str = "",
) -> Park:
    park = Park(
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        province=province,
        city_zh=city_zh.strip(),
        city_en=city_en.strip(),
        kind=kind,
        address=address,
        website=website,
        description=description,
        slug=_unique_slug(name_en=name_en, province=province),
    )
    park.full_clean()
    park.save()
    return park
