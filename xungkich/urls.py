from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from xungkich import pwa
from xungkich.accounts.language import set_language
from xungkich.api import api as api_v1
from xungkich.core import views as core_views

# The admin signs in through the app's own login page, so throttling and two-step sign-in apply.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("xungkich.accounts.urls")),
    path("people/", include("xungkich.people.urls")),
    path("", include("xungkich.firstrun.urls")),
    path("audit/", include("xungkich.core.urls")),
    path("rosters/", include("xungkich.rosters.urls")),
    path("api/v1/", api_v1.urls()),
    # Each app owns its own top-level prefixes (see its urls.py).
    path("", include("xungkich.tickets.urls")),
    path("", include("xungkich.helpdesk.urls")),
    path("", include("xungkich.catalogue.urls")),
    path("", include("xungkich.guides.urls")),
    path("", include("xungkich.search.urls")),
    path("", include("xungkich.campaigns.urls")),
    path("", include("xungkich.reports.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
