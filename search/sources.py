"""What the index holds of each kind of object: one `Source` per model.

A source names the model, the queryset that reads what its rows need (for
one object or for a rebuild) and how one object becomes the fields of its
`SearchEntry`. Whether a row is public follows the lists of the portal:
published products (`products.selectors.published_products`), published and
cancelled events (`events.selectors.public_events`), every institution and
knowledge item; enterprises never are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from enterprises.models import Enterprise
from events.models import Event
from knowledge.kinds import KINDS
from products.models import Institution, Product
from search import segment
from search.models import Kind

SUMMARY_LENGTH = 400


def _cut(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _name(obj: Any, prefix: str = "name") -> list[str]:
    if obj is None:
        return []
    return [getattr(obj, f"{prefix}_zh", ""), getattr(obj, f"{prefix}_en", "")]


def _entry(
    *,
    title: tuple[str, str],
    summary: tuple[str | None, str | None],
    words: list[str | None],
    key: str = "",
    public: bool,
    **visibility: Any,
) -> dict[str, Any]:
    return {
        "key": key,
        "title_zh": (title[0] or title[1])[:300],
        "title_en": (title[1] or "")[:300],
        "summary_zh": _cut(summary[0]),
        "summary_en": _cut(summary[1]),
        "title_terms": segment.document(*title),
        "document": segment.document(*title, *summary, *words),
        "public": public,
        "institution_id": None,
        "province_id": "",
        "park_id": None,
        **visibility,
    }


def _product(product: Product) -> dict[str, Any]:
    institution = product.institution
    return _entry(
        key=product.code,
        title=(product.name_zh, product.name_en),
        summary=(product.summary_zh, product.summary_en),
        words=[*_name(institution), institution.city_zh, product.requirements, product.code],
        public=product.status == Product.Status.PUBLISHED,
        institution_id=product.institution_id,
    )


PUBLIC_EVENT = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def _event(event: Event) -> dict[str, Any]:
    parks = [name for park in event.parks.all() for name in _name(park)]
    return _entry(
        key=event.slug,
        title=(event.title_zh, event.title_en),
        summary=(event.description_zh, event.description_en),
        words=[*_name(event.host_province), event.city_zh, event.city_en, event.venue, *parks],
        public=event.status in PUBLIC_EVENT,
        province_id=event.host_province_id or "",
    )


def _institution(institution: Institution) -> dict[str, Any]:
    return _entry(
        key=institution.code,
        title=(institution.name_zh, institution.name_en),
        summary=(institution.city_zh, institution.city_en),
        words=[*_name(institution.province), institution.code],
        public=True,
        institution_id=institution.pk,
        province_id=institution.province_id or "",
    )


def _enterprise(enterprise: Enterprise) -> dict[str, Any]:
    return _entry(
        title=(enterprise.name_zh, enterprise.name_en),
        summary=(enterprise.description, ""),
        words=[
            *_name(enterprise.province),
            enterprise.city_zh,
            enterprise.city_en,
            *_name(enterprise.park),
            *_name(enterprise.industry),
            enterprise.credit_code,
        ],
        public=False,
        province_id=enterprise.province_id or "",
        park_id=enterprise.park_id,
    )


# What each kind of knowledge item adds to its title and summary.
KNOWLEDGE_WORDS: dict[str, Callable[[Any], list[str | None]]] = {
    "policies": lambda item: [
        item.issuer_zh,
        item.issuer_en,
        item.document_number,
        *_name(item.province),
    ],
    "cases": lambda item: [item.enterprise_name, item.institution_name, *_name(item.province)],
    "collections": lambda item: [*_name(item.province)],
    "trainings": lambda item: [item.city_zh, item.city_en, *_name(item.province)],
    "media": lambda item: [item.outlet_zh, item.outlet_en],
    "agreements": lambda item: [*_name(item.office)],
}
KNOWLEDGE_RELATED: dict[str, list[str]] = {
    "policies": ["province"],
    "cases": ["province"],
    "collections": ["province"],
    "trainings": ["province"],
    "media": [],
    "agreements": ["office"],
}


def _knowledge(slug: str) -> Callable[[Any], dict[str, Any]]:
    words = KNOWLEDGE_WORDS[slug]

    def entry(item: Any) -> dict[str, Any]:
        if slug == "media":
            title, summary = (item.title, ""), ("", "")
        else:
            title, summary = (item.title_zh, item.title_en), (item.summary_zh, item.summary_en)
        return _entry(key=slug, title=title, summary=summary, words=words(item), public=True)

    return entry


def _knowledge_rows(model: type[models.Model], slug: str) -> Callable[[], models.QuerySet[Any]]:
    def rows() -> models.QuerySet[Any]:
        return model._default_manager.select_related(*KNOWLEDGE_RELATED[slug])

    return rows


@dataclass(frozen=True)
class Source:
    kind: Kind
    model: type[models.Model]
    queryset: Callable[[], models.QuerySet[Any]]
    entry: Callable[[Any], dict[str, Any]]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


SOURCES: list[Source] = [
    Source(
        Kind.PRODUCT,
        Product,
        lambda: Product.objects.select_related("institution"),
        _product,
    ),
    Source(
        Kind.EVENT,
        Event,
        lambda: Event.objects.select_related("host_province").prefetch_related("parks"),
        _event,
    ),
    Source(
        Kind.INSTITUTION,
        Institution,
        lambda: Institution.objects.select_related("province"),
        _institution,
    ),
    Source(
        Kind.ENTERPRISE,
        Enterprise,
        lambda: Enterprise.objects.select_related("province", "park", "industry"),
        _enterprise,
    ),
    *(
        Source(
            Kind.KNOWLEDGE,
            kind.model,
            _knowledge_rows(kind.model, slug),
            _knowledge(slug),
        )
        for slug, kind in KINDS.items()
    ),
]
BY_LABEL: dict[str, Source] = {source.label: source for source in SOURCES}
BY_MODEL: dict[type[models.Model], Source] = {source.model: source for source in SOURCES}
