"""The demo's accounts: one per editorial role, all with one published password.

Only `load_demo` makes them, and it never runs with the production settings.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from editorial.models import Role
from editorial.roles import COORDINATOR, TRANSLATOR, editor_key
from region_pages.municipalities import MUNICIPALITIES

DEMO_PASSWORD = "ranaregionen-demo"  # noqa: S105 - documented demo password, demo only


def demo_users() -> list[dict]:
    users = [
        {
            "username": f"redaktor-{m.slug}",
            "first_name": "Redaktør",
            "last_name": m.name,
            "role": editor_key(m),
        }
        for m in MUNICIPALITIES
    ]
    users.append(
        {
            "username": "koordinator",
            "first_name": "Regional",
            "last_name": "koordinator",
            "role": COORDINATOR,
        }
    )
    users.append(
        {"username": "oversetter", "first_name": "Oversetter", "last_name": "", "role": TRANSLATOR}
    )
    # The second region's coordinator and one of its editors, once its roles exist (the
    # demo's second region is built).
    second = [
        {
            "username": "koordinator-mosjoen",
            "first_name": "Koordinator",
            "last_name": "Mosjøenregionen",
            "role": f"{COORDINATOR}-mosjoenregionen",
        },
        {
            "username": "redaktor-vefsn",
            "first_name": "Redaktør",
            "last_name": "Vefsn",
            "role": "redaktor-vefsn",
        },
    ]
    existing = set(
        Role.objects.filter(key__in=[u["role"] for u in second]).values_list("key", flat=True)
    )
    return users + [u for u in second if u["role"] in existing]


@transaction.atomic
def create_demo_users(password: str = DEMO_PASSWORD) -> int:
    """One demo account per role; existing accounts are left as they are."""
    User = get_user_model()
    created = 0
    for spec in demo_users():
        if User.objects.filter(username=spec["username"]).exists():
            continue
        user = User(
            username=spec["username"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=f"{spec['username']}@example.org",
        )
        user.set_password(password)
        user.save()
        user.groups.add(Role.objects.get(key=spec["role"]).group)
        created += 1
    return created
