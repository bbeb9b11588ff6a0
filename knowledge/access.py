"""Who manages which knowledge item: the one rule behind every management
page, API endpoint and service.

A national regulator manages every item; a provincial regulator the items of
its provinces. A policy, case, collection or training session belongs to its
province, a media report to the host province of the event it covers, an
agreement to the province of the office that signed it. Items with no
province (national policies, reports on no particular event, agreements of
national offices) are for national regulators only.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import Jurisdiction, regulator_jurisdiction
from knowledge.models import (
    Collection,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)

M = TypeVar("M", bound=models.Model)

# The lookup from each model to the province that decides who manages it.
PROVINCE_PATH = {
    "Policy": "province",
    "TypicalCase": "province",
    "Collection": "province",
    "TrainingSession": "province",
    "MediaReport": "event__host_province",
    "CooperationAgreement": "office__province",
}


def province_of(item: models.Model) -> str | None:
    """The province code that decides who manages `item`, saved or not."""
    if isinstance(item, MediaReport):
        return item.event.host_province_id if item.event is not None else None
    if isinstance(item, CooperationAgreement):
        return item.office.province_id if item.office_id else None
    if isinstance(item, Policy | TypicalCase | Collection | TrainingSession):
        return item.province_id
    raise TypeError(f"{type(item).__name__} is not a knowledge item")


def covers(jurisdiction: Jurisdiction | None, item: models.Model) -> bool:
    if jurisdiction is None:
        return False
    if jurisdiction.national:
        return True
    province = province_of(item)
    return province is not None and province in jurisdiction.provinces


def items_managed_by(*, user: User | AnonymousUser, model: type[M]) -> QuerySet[M]:
    """The items of `model` the user may create, change and delete."""
    jurisdiction = regulator_jurisdiction(user=user)
    if jurisdiction is None:
        return model._default_manager.none()
    if jurisdiction.national:
        return model._default_manager.all()
    lookup = f"{PROVINCE_PATH[model.__name__]}__in"
    return model._default_manager.filter(**{lookup: jurisdiction.provinces})


def is_regulator(*, user: User | AnonymousUser) -> bool:
    return regulator_jurisdiction(user=user) is not None
