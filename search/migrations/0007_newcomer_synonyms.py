"""Seed the synonyms a newcomer's questions need: whom to contact, a doctor, housing,
applying for a place, and events, in both languages. Editors may change them; an edited
group is left alone when this migration is reversed."""

from django.db import migrations

SYNONYMS = [
    "kontakt, contact",
    "fastlege, lege, GP, doctor",
    "bolig, housing",
    "søknad, søke, søk, application, apply",
    "opptak, admission",
    "arrangement, event",
]


def forward(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def backward(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_drop_index_version")]

    operations = [migrations.RunPython(forward, backward)]
