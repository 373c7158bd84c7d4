"""Each region's site gets its own change feed: the events and announced resources so far
are put in the region of their page (below the site's home page or a translation of it)."""

from django.db import migrations, models


def partition(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    ChangeEvent = apps.get_model("region_pages", "ChangeEvent")
    Announced = apps.get_model("region_pages", "Announced")
    for site in Site.objects.all():
        key = Page.objects.filter(pk=site.root_page_id).values_list("translation_key", flat=True)
        for path in Page.objects.filter(translation_key__in=list(key)).values_list(
            "path", flat=True
        ):
            pages = Page.objects.filter(path__startswith=path).values("pk")
            ChangeEvent.objects.filter(page_id__in=pages).update(site_id=site.pk)
            Announced.objects.filter(page_id__in=pages).update(site_id=site.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("region_pages", "0013_region_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="announced",
            name="site_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="changeevent",
            name="site_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="changeevent",
            index=models.Index(fields=["site_id", "sequence"], name="changeevent_site_sequence"),
        ),
        migrations.RunPython(partition, migrations.RunPython.noop),
    ]
