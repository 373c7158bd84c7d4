from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.db import transaction
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve as static_serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from api.router import urls as api_urls
from partners.views import open_data
from region_pages import routes
from region_pages.sitemap import sitemap_index, sitemap_page
from search import views as search_views

from . import views

urlpatterns = [
    path("", views.choose_language, name="choose_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<int:number>.xml", sitemap_page, name="sitemap_page"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The partner API: outside i18n_patterns, its language comes from `lang`.
    path("api/v1/", api_urls()),
    # The open-data dump (partners.dump): the manifest and the files it lists.
    re_path(r"^open-data/(?P<name>[a-z]+(?:-[a-z]{2})?\.jsonl?)$", open_data, name="open_data"),
]

if settings.SERVE_MEDIA:
    # Local media for the demo and the browser tests; production serves media from storage.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$",
            static_serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    # /nb/sok/ and /en/search/: the path is translated in the catalogues.
    path(_("search/"), search_views.search, name="search"),
    path(_("search/suggestions/"), search_views.suggest, name="search_suggest"),
    # The untranslated path, for links made before the Norwegian one: /nb/search/ -> /nb/sok/
    path("search/", search_views.to_search_page),
    # /nb/personvern/ and /en/privacy/, /nb/nettstedskart/ and /en/sitemap/: they come
    # before Wagtail's pages, so no page can take these addresses.
    path(_("privacy/"), views.privacy, name="privacy"),
    path(_("sitemap/"), views.site_map, name="site_map"),
    # Reading a page needs no transaction; ATOMIC_REQUESTS is for the admin's writes.
    re_path(serve_pattern, transaction.non_atomic_requests(routes.serve), name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
