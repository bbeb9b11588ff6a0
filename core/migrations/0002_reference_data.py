"""Loads the 34 provincial-level divisions, the IP kinds and the industries."""

from django.db import migrations

from core.data.industries import INDUSTRIES, IP_KINDS
from core.data.provinces import PROVINCES


def load(apps, schema_editor):
    Province = apps.get_model("core", "Province")
    IPKind = apps.get_model("core", "IPKind")
    Industry = apps.get_model("core", "Industry")
    for p in PROVINCES:
        Province.objects.update_or_create(
            code=p.code,
            defaults={
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "short_zh": p.short_zh,
                "region": p.region,
            },
        )
    for sort, kind in enumerate(IP_KINDS):
        IPKind.objects.update_or_create(
            code=kind.code, defaults={"name_zh": kind.name_zh, "name_en": kind.name_en, "sort": sort}
        )
    for sort, industry in enumerate(INDUSTRIES):
        Industry.objects.update_or_create(
            code=industry.code,
            defaults={"name_zh": industry.name_zh, "name_en": industry.name_en, "sort": sort},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
