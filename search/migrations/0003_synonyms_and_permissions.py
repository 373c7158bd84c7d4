"""Seed the synonyms newcomers need most, and let editors and moderators steer search.

Editors and moderators may maintain synonyms and search promotions and read the report of
searches without results. Groups that do not exist are left alone.
"""

from django.db import migrations

SYNONYMS = [
    "barnehage, kindergarten",
    "jobb, stilling, job, vacancy",
    "Rana, Raane, Rána",
    "skole, school",
]

PERMISSIONS = [
    ("search", "synonym", ["add", "change", "delete", "view"]),
    ("search", "missedquery", ["view"]),
    ("wagtailsearchpromotions", "searchpromotion", ["add", "change", "delete", "view"]),
]

GROUPS = ["Editors", "Moderators"]


def forward(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    groups = list(Group.objects.filter(name__in=GROUPS))
    if not groups:
        return
    for app_label, model, actions in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            for group in groups:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgres_text_search"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
