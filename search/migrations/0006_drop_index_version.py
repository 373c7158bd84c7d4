"""The search's own version gives way to the content version (`region_pages.ContentVersion`),
which every change that may change an answer moves on."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_index_per_language"),
        ("region_pages", "0007_content_version"),
    ]

    operations = [
        migrations.DeleteModel(name="IndexVersion"),
    ]
