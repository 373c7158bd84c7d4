"""Builds the demo site from `content`: Norwegian pages, then English through wagtail-localize.

Idempotent: what exists already is left as it is, so a second run changes nothing.
"""

import io
import math
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from region_pages.models import (
    ArrivalGuidePage,
    ArticlePage,
    Contact,
    EventCalendarPage,
    EventPage,
    HomePage,
    MunicipalityPage,
    RegionSettings,
    ThemePage,
)
from sources.models import RegisterUnit, Workplace
from sources.recorded import run_offline

from . import content
from .content import T


class DemoContentError(Exception):
    pass


def mosjoen_base_url() -> str:
    """Where the second region is served: `MOSJOEN_BASE_URL`, else the host
    `mosjoen.localhost` (which browsers send to this machine) on the first region's port."""
    if settings.MOSJOEN_BASE_URL:
        return settings.MOSJOEN_BASE_URL
    base = urlsplit(settings.SITE_BASE_URL)
    port = f":{base.port}" if base.port else ""
    return f"{base.scheme or 'http'}://mosjoen.localhost{port}"


def to_language(value, language: str):
    """The value with every `T` pair replaced by its text in `language`."""
    if isinstance(value, T):
        return getattr(value, language)
    if isinstance(value, dict):
        return {key: to_language(item, language) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_language(item, language) for item in value]
    return value


def collect_pairs(value, pairs: dict[str, str]) -> dict[str, str]:
    """Every Norwegian text in `value` mapped to its English, for the translation step."""
    if isinstance(value, T):
        pairs[escape(value.nb)] = value.en
        pairs[value.nb] = value.en
    elif isinstance(value, str):
        # Names (places, employers) are the same in both languages.
        pairs.setdefault(value, value)
    elif isinstance(value, dict):
        for item in value.values():
            collect_pairs(item, pairs)
    elif isinstance(value, list | tuple):
        for item in value:
            collect_pairs(item, pairs)
    return pairs


def stream_value(blocks: list[dict]) -> list[dict]:
    """Raw StreamField data (Norwegian) from the content's block descriptions."""
    data = []
    for block in to_language(blocks, "nb"):
        block = dict(block)
        block_type = block.pop("type")
        if block_type == "paragraph":
            value = "".join(f"<p>{escape(text)}</p>" for text in block["paragraphs"])
        else:
            value = {key: item for key, item in block.items() if item is not None}
            if block_type in ("leisure", "school"):
                value.setdefault("coordinates", {"latitude": None, "longitude": None})
        data.append({"type": block_type, "value": value})
    return data


def with_contact(data: list[dict], block_type: str, contact) -> list[dict]:
    """The blocks of `block_type` in `data` with `contact` as their contact."""
    for block in data:
        if block["type"] == block_type and contact is not None:
            block["value"]["contact"] = contact.pk
    return data


def with_picture(data: list[dict], block_type: str, image, alt_text: str) -> list[dict]:
    """The raw StreamField data with `image` as the picture of its first `block_type` block
    (the theme page's cards show it)."""
    for block in data:
        if block["type"] == block_type:
            block["value"]["picture"] = {"image": image.pk, "alt_text": alt_text}
            break
    return data


def generated_image(title: str, seed: int):
    """An illustration drawn here (no image is downloaded): sky, mountains and water."""
    image = get_image_model().objects.filter(title=title).first()
    if image:
        return image
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = 1600, 700
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(40 + 180 * shade), int(70 + 90 * shade), int(120 + 60 * shade)),
        )
    for layer, colour in enumerate([(70, 80, 100), (45, 55, 70), (30, 40, 52)]):
        base = 380 + layer * 70
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            peak = rng.randint(60, 220) * (1 - layer * 0.25)
            points.append((x, base - peak * abs(math.sin(x / 300 + seed + layer))))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    draw.rectangle([(0, 560), (width, height)], fill=(20, 60, 90))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(buffer, name=f"demo-{seed}.jpg"),
        collection=Collection.get_first_root_node(),
    )


class DemoBuilder:
    def __init__(self, log: Callable[[str], None] = print):
        self.log = log
        self.pairs: dict[str, str] = {}
        self.created = 0
        self.translated = 0

    def build(self):
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        nb = Locale.objects.get(language_code="nb")
        en = Locale.objects.get(language_code="en")
        self.register_data()
        contacts = self.contacts(nb)

        home = self.home_page(nb, contact=contacts["region"])
        self.point_site_at(home)
        pages = [home]
        for index, spec in enumerate(content.MUNICIPALITIES, start=1):
            pages.append(self.municipality_page(home, spec, index, contact=contacts[spec["slug"]]))
        for index, spec in enumerate(content.THEMES, start=len(content.MUNICIPALITIES) + 1):
            pages.append(
                self.child_page(
                    home,
                    ThemePage,
                    spec,
                    theme=spec["theme"],
                    show_in_menus=True,
                    hero_image=generated_image(f"Illustrasjon {spec['title'].nb}", index),
                    hero_alt_text=content.PICTURE_ALT.nb,
                )
            )
        pages.append(
            self.child_page(
                home,
                ArrivalGuidePage,
                content.ARRIVAL_GUIDE,
                show_in_menus=True,
                body=stream_value(content.ARRIVAL_GUIDE["body"]),
            )
        )
        calendar = self.child_page(
            home, EventCalendarPage, content.EVENT_CALENDAR, show_in_menus=True
        )
        pages.append(calendar)
        for spec in content.EVENTS:
            pages.append(self.event_page(calendar, spec))
        for spec in content.ARTICLES:
            pages.append(self.child_page(home, ArticlePage, spec, body=stream_value(spec["body"])))

        collect_pairs(
            [
                content.CONTACTS,
                content.HOME,
                content.MUNICIPALITIES,
                content.THEMES,
                content.ARTICLES,
                content.ARRIVAL_GUIDE,
                content.admissions(""),
                content.EVENT_CALENDAR,
                content.EVENTS,
            ],
            self.pairs,
        )
        # The pages show their contacts' translations.
        for contact in contacts.values():
            self.translate(contact, en)
        for page in pages:
            self.translate(page, en)
        self.second_region(nb, en)
        return self.created, self.translated

    def second_region(self, nb, en):
        """Mosjøenregionen: a home page and the three municipalities, on its own host."""
        contacts = self.contacts(nb, content.MOSJOEN_CONTACTS)
        home = self.home_page(nb, contacts["vefsn"], content.MOSJOEN_HOME, seed=20)
        site = self.point_site_at(
            home, mosjoen_base_url(), content.MOSJOEN_HOME["title"].nb, default=False
        )
        # Its own colours (frontend/designsystemet.config.json).
        RegionSettings.objects.update_or_create(site=site, defaults={"theme": "mosjoenregionen"})
        pages = [home]
        for index, spec in enumerate(content.MOSJOEN_REGION_MUNICIPALITIES, start=21):
            pages.append(self.municipality_page(home, spec, index, contact=contacts[spec["slug"]]))
        collect_pairs(
            [
                content.MOSJOEN_CONTACTS,
                content.MOSJOEN_HOME,
                content.MOSJOEN_REGION_MUNICIPALITIES,
            ],
            self.pairs,
        )
        for contact in contacts.values():
            self.translate(contact, en)
        for page in pages:
            self.translate(page, en)

    # ---- what the blocks rest on --------------------------------------------------------

    def register_data(self):
        """The register units some demo blocks choose: the recorded sample payloads,
        imported as `sync_sources --offline` does, unless the registers hold data already."""
        if RegisterUnit.objects.exists() and Workplace.objects.exists():
            return
        for run in run_offline(["nsr", "nbr", "brreg"]):
            self.log(f"  imported {run.source} (sample data): {run.status}")

    def contacts(self, locale, specs=content.CONTACTS) -> dict[str, Contact]:
        """The region's newcomer contact and one per municipality, by key."""
        made = {}
        for key, spec in specs.items():
            fields = to_language(spec, "nb")
            contact = (
                Contact.objects.filter(locale=locale, email=fields["email"])
                .filter(name=fields["name"])
                .first()
            )
            if contact is None:
                contact = Contact(locale=locale, **fields)
                contact.full_clean()
                contact.save()
                self.log(f"  created the contact {contact}")
            made[key] = contact
        return made

    # ---- Norwegian pages ---------------------------------------------------------------

    def home_page(self, locale, contact=None, spec=content.HOME, seed=0):
        root = Page.get_first_root_node()
        existing = HomePage.objects.filter(locale=locale, slug=spec["slug"]).first()
        if existing:
            return existing
        page = HomePage(
            locale=locale,
            slug=to_language(spec["slug"], "nb"),
            title=spec["title"].nb,
            intro=spec["intro"].nb,
            hero_image=generated_image(spec["title"].nb, seed),
            hero_alt_text=spec["hero_alt_text"].nb,
            body=stream_value(spec["body"]),
            contact=contact,
        )
        root.add_child(instance=page)
        self.publish(page)
        return page

    def point_site_at(self, home, base_url=None, name="Ranaregionen", default=True):
        """Make `home` the root of the site at `base_url` (the default site's address
        unless given)."""
        base = urlsplit(base_url or settings.SITE_BASE_URL)
        wanted = {
            "hostname": base.hostname or "localhost",
            "port": base.port or (443 if base.scheme == "https" else 80),
            "root_page_id": home.pk,
            "site_name": name,
        }
        site = (
            Site.objects.filter(is_default_site=True).first()
            if default
            else Site.objects.filter(root_page=home).first()
        )
        if site is None:
            return Site.objects.create(is_default_site=default, **wanted)
        previous_root = site.root_page
        if any(getattr(site, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(site, key, value)
            site.save()
        # Wagtail's placeholder "Welcome" page is of the plain Page type: remove it.
        if previous_root.pk != home.pk and previous_root.specific_class is Page:
            previous_root.delete()
        return site

    def municipality_page(self, home, spec, index, contact=None):
        return self.child_page(
            home,
            MunicipalityPage,
            spec,
            show_in_menus=True,
            contact=contact,
            municipality_number=spec["number"],
            administrative_centre=content.CENTRES[spec["number"]],
            website=spec["website"],
            hero_image=generated_image(f"Illustrasjon {spec['title'].nb}", index),
            hero_alt_text=spec["hero_alt_text"].nb,
            body=with_picture(
                with_contact(
                    stream_value(spec["body"] + content.admissions(spec["website"])),
                    "admission",
                    contact,
                ),
                "leisure",
                generated_image(f"Illustrasjon fritid {spec['title'].nb}", index + 10),
                content.PICTURE_ALT.nb,
            ),
        )

    def event_page(self, calendar, spec):
        day = timezone.localdate() + timedelta(days=spec["days"])
        start, end = (
            timezone.make_aware(datetime.combine(day, time(hour))) for hour in spec["hours"]
        )
        latitude, longitude = spec["coordinates"] or (None, None)
        return self.child_page(
            calendar,
            EventPage,
            spec,
            starts_at=start,
            ends_at=end,
            municipality_number=spec["municipality_number"],
            place_name=spec["place_name"],
            category=spec["category"],
            price=to_language(spec["price"], "nb"),
            latitude=latitude,
            longitude=longitude,
        )

    def child_page(self, parent, model, spec, **fields):
        slug = to_language(spec["slug"], "nb")
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = model(
            slug=slug,
            title=spec["title"].nb,
            intro=spec["intro"].nb,
            locale=parent.locale,
            **fields,
        )
        parent.add_child(instance=page)
        self.publish(page)
        return page

    @transaction.atomic
    def publish(self, page):
        page.save_revision().publish()
        self.created += 1
        self.log(f"  published {page.url_path}")

    # ---- English through wagtail-localize ------------------------------------------------

    @transaction.atomic
    def translate(self, obj, locale):
        """Translate a page (and publish the translation) or a snippet."""
        if obj.get_translations().filter(locale=locale).exists():
            return
        source, _created = TranslationSource.get_or_create_from_instance(obj)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            text = segment.string.data
            if text not in self.pairs:
                raise DemoContentError(f"No English text for the segment {text!r}.")
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": self.pairs[text]},
            )
        # wagtail-localize would publish on commit, from a page object that is stale by
        # then (its children are added later); publish the new revision here instead.
        if isinstance(obj, Page):
            translation.save_target(publish=False)
            obj.get_translation(locale).get_latest_revision().publish()
        else:
            # A snippet without drafts is saved as it is translated.
            translation.save_target(publish=True)
        self.translated += 1
        name = obj.url_path if isinstance(obj, Page) else str(obj)
        self.log(f"  translated {name} into {locale.language_code}")
