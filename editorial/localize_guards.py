"""wagtail-localize's translation views, with the page permissions they leave out.

Its views for starting, synchronising and stopping translations check one global
permission (`submit_translation`) or only edit access: "synchronise and publish
immediately" publishes every translation of a page without asking whether the user may
publish those pages, and "convert to alias" replaces a live translated page with a copy
of its source and deletes the translation for anyone who may edit the page. These
wrappers check the pages first, then hand over to its views.

Detaching a page from its source (stopping a translation, turning an untranslated copy
into a page of its own) and turning a translation back into a copy are the coordinator's
decisions: they take the right to publish the page.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from wagtail.models import Page

from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import (
    convert,
    edit_translation,
    submit_translations,
    update_translations,
)

_submit_page = submit_translations.SubmitPageTranslationView.as_view()
_update = update_translations.UpdateTranslationsView.as_view()


def submit_page_translation(request, page_id):
    page = get_object_or_404(Page, id=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return _submit_page(request, page_id=page_id)


def update_translations(request, translation_source_id):
    source = get_object_or_404(TranslationSource, id=translation_source_id)
    instance = source.get_source_instance()
    if isinstance(instance, Page):
        if not instance.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        if request.method == "POST":
            publish = bool(request.POST.get("publish_translations"))
            for translation in source.translations.filter(enabled=True):
                target = translation.get_target_instance()
                perms = target.permissions_for_user(request.user)
                if not perms.can_edit() or (publish and not perms.can_publish()):
                    raise PermissionDenied
    return _update(request, translation_source_id=translation_source_id)


def stop_translation(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    instance = translation.get_target_instance()
    # Detaching a translation from its source is the coordinator's decision.
    if isinstance(instance, Page) and not instance.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return edit_translation.stop_translation(request, translation_id)


def convert_to_alias(request, page_id):
    page = get_object_or_404(Page, id=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)


def is_translation_alias(page) -> bool:
    """Whether the page mirrors a page in another language (an untranslated page)."""
    return page.alias_of_id is not None and page.alias_of.locale_id != page.locale_id
