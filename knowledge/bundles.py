"""A collection that has no file of its own downloads as a workbook listing
what it gathers: its policies and its typical cases, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.spreadsheets import Sheet, xlsx_bytes
from knowledge.models import Collection
from knowledge.selectors import collection_contents


def collection_workbook(*, collection: Collection) -> bytes:
    policies, cases = collection_contents(collection=collection)
    about = Sheet(
        _("Collection"),
        rows=[
            [_("Title"), collection.title],
            [_("Summary"), collection.summary],
            [_("Publisher"), str(collection.publisher or "")],
            [_("Province"), str(collection.province or "")],
            [_("Published"), collection.published_on.isoformat()],
        ],
    )
    policy_sheet = Sheet(
        _("Policies"),
        header=[
            _("Title"),
            _("Issuer"),
            _("Document number"),
            _("Level"),
            _("Region"),
            _("Issued"),
        ],
        rows=(
            [
                p.title,
                p.issuer,
                p.document_number,
                p.get_level_display(),
                str(p.province or ""),
                p.issued_on.isoformat(),
            ]
            for p in policies
        ),
    )
    case_sheet = Sheet(
        _("Typical cases"),
        header=[_("Title"), _("Province"), _("Enterprise"), _("Institution"), _("Amount (CNY)")],
        rows=(
            [c.title, str(c.province), c.enterprise_name, c.institution_name, c.amount]
            for c in cases
        ),
    )
    return xlsx_bytes([about, policy_sheet, case_sheet])
