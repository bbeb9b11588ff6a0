"""Applications carry their product's institution, so a bank's queue is one
index walk; filled from the products for rows that exist already."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_institution(apps, schema_editor):
    Application = apps.get_model("financing", "Application")
    Product = apps.get_model("products", "Product")
    Application.objects.filter(institution__isnull=True).update(
        institution_id=Subquery(
            Product.objects.filter(pk=OuterRef("product_id")).values("institution_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0001_initial"),
        ("products", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="institution",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="products.institution",
                verbose_name="institution",
            ),
        ),
        migrations.RunPython(fill_institution, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="institution",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="products.institution",
                verbose_name="institution",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("submitted_at__isnull", False)),
                fields=["institution", "-created_at", "-id"],
                name="application_queue",
            ),
        ),
    ]
