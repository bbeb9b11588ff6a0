from django.db import migrations

EVENT_KINDS = (
    ("product_release", "产品发布", "Product release"),
    ("roadshow", "企业路演", "Enterprise roadshow"),
    ("bank_promotion", "银行推介", "Bank promotion"),
    ("policy_training", "政策培训", "Policy training"),
    ("matchmaking", "银企对接", "Matchmaking"),
    ("signing", "现场签约", "Signing ceremony"),
)


def load(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for sort, (code, name_zh, name_en) in enumerate(EVENT_KINDS):
        EventKind.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort": sort}
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
