"""The search index gets a partition per region (the region's site); the rows already
indexed are put in theirs: below the site's home page or one of its translations."""

from django.db import migrations, models


def partition(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    SearchDocument = apps.get_model("search", "SearchDocument")
    for site in Site.objects.all():
        key = Page.objects.filter(pk=site.root_page_id).values_list("translation_key", flat=True)
        paths = Page.objects.filter(translation_key__in=list(key)).values_list("path", flat=True)
        for path in paths:
            SearchDocument.objects.filter(page__path__startswith=path).update(site_id=site.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_newcomer_synonyms"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="site_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(partition, migrations.RunPython.noop),
    ]
