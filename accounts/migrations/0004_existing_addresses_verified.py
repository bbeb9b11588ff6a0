"""Accounts that existed before sign-up by email: their addresses were
vouched for by whoever made them, so they are recorded as verified."""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, primary=True, verified=True)
            for pk, email in User.objects.exclude(email="").values_list("pk", "email")
            if pk not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_phone_apitoken_securityevent"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
