"""Where each page type may stand in the tree."""

from wagtail.models import Page

import pytest

from region_pages.models import ArticlePage, HomePage, MunicipalityPage, ThemePage


@pytest.mark.parametrize(
    ("child", "allowed_parents"),
    [
        (HomePage, {Page}),
        (MunicipalityPage, {HomePage}),
        (ThemePage, {HomePage}),
        (ArticlePage, {HomePage, MunicipalityPage, ThemePage}),
    ],
)
def test_each_page_type_has_explicit_parents(child, allowed_parents):
    candidates = (Page, HomePage, MunicipalityPage, ThemePage, ArticlePage)
    parents = {model for model in candidates if model in child.allowed_parent_page_models()}
    assert parents == allowed_parents


def test_articles_are_leaves():
    assert ArticlePage.allowed_subpage_models() == []


def test_a_municipality_holds_only_articles():
    assert MunicipalityPage.allowed_subpage_models() == [ArticlePage]


def test_home_pages_are_made_at_the_root_one_per_region(home):
    # Another region's home page beside this one; never a home page below a home page.
    assert HomePage.can_create_at(home.get_parent())
    assert not HomePage.can_create_at(home)
