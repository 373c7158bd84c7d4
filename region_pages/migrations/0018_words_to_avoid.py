"""The words to avoid that the plain-language checks begin with: formal words that
Språkrådet's advice to public bodies (klarspråk) would have written plainly. The
coordinator edits the list in the admin (Snippets → Words to avoid)."""

from django.db import migrations

WORDS = {
    "nb": {
        "angående": "om",
        "anmode": "be",
        "anmoder": "ber",
        "bistå": "hjelpe",
        "bistår": "hjelper",
        "dersom": "hvis",
        "foreligger": "finnes, er",
        "forespørsel": "spørsmål",
        "fremsette": "komme med",
        "følgelig": "derfor",
        "herunder": "blant annet",
        "hvorvidt": "om",
        "i forbindelse med": "ved, når, om",
        "i henhold til": "etter, ifølge",
        "inneha": "ha",
        "innvilge": "gi, si ja til",
        "oversende": "sende",
        "ovennevnte": "dette, disse",
        "påse": "sørge for",
        "samt": "og",
        "således": "slik, derfor",
        "tilstrebe": "prøve å",
        "vedrørende": "om",
    },
    "en": {
        "assist": "help",
        "commence": "start, begin",
        "in accordance with": "under, by, as",
        "in order to": "to",
        "in the event that": "if",
        "prior to": "before",
        "utilise": "use",
        "utilize": "use",
        "with regard to": "about",
    },
}


def seed(apps, schema_editor):
    AvoidedWord = apps.get_model("region_pages", "AvoidedWord")
    AvoidedWord.objects.bulk_create(
        [
            AvoidedWord(language_code=code, phrase=phrase, advice=advice)
            for code, words in WORDS.items()
            for phrase, advice in words.items()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("region_pages", "0017_readability")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
