"""The offline desk: a page that records help sessions on the phone and sends them when it can.

The page is drawn here once while online (the service worker keeps a copy); everything after that
runs in the browser (static/js/offline/desk.js): the privacy screen, the records kept in IndexedDB, the
sync to ``POST /api/v1/help-sessions`` with one Idempotency-Key per record. docs/helpdesk.md, "Offline
desk", explains the sync and its limits.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xungkich.core import free_text
from xungkich.core.privacy import SECRET_MESSAGE
from xungkich.core.security import allow_on_this_page
from xungkich.helpdesk import access
from xungkich.helpdesk.forms import OfflineSessionForm
from xungkich.helpdesk.models import Channel, FailureReason, Outcome, PlaceKind
from xungkich.people.models import User
from xungkich.tickets.models import Need


def _labels() -> dict[str, dict[str, str]]:
    """Code → label of each list, for the records the page lists (the form has its own labels)."""
    return {
        "need": {str(k): str(v) for k, v in Need.choices},
        "outcome": {str(k): str(v) for k, v in Outcome.choices},
        "channel": {str(k): str(v) for k, v in Channel.choices},
        "place_kind": {str(k): str(v) for k, v in PlaceKind.choices},
        "failure_reason": {str(k): str(v) for k, v in FailureReason.choices},
    }


def _messages() -> dict[str, str]:
    """Every sentence the page's script shows, translated here (the script holds no language)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: records are kept on this phone"),
        "saved": _("Saved on this phone. It will be sent when there is a network."),
        "secret": str(SECRET_MESSAGE),  # the server's own refusal, word for word
        "tooLong": _("This text is too long: at most %(limit)s characters."),
        "needRequired": _("Choose the need."),
        "pointRequired": _("Choose the service point."),
        "placeRequired": _("Say where the help was given."),
        "reasonRequired": _("Choose why it could not be done."),
        "errorsTitle": _("There is a problem"),
        "none": _("None."),
        "edit": _("Edit and send again"),
        "remove": _("Delete from this phone"),
        "confirmRemove": _("Delete this record from the phone? It has not been sent."),
        "signInAgain": _(
            "Your sign-in has expired: sign in again to send the records waiting on this phone."
        ),
        "otherUser": _(
            "Another account is signed in on this phone: its records are not sent under that name."
        ),
        "serverBusy": _("The server did not answer; the records stay on this phone and will be sent later."),
        "positionAsking": _("Asking the phone for its position…"),
        "positionSaved": _("Position recorded (rounded to about 110 m)."),
        "positionFailed": _("The position could not be read; choose the ward from the list instead."),
        "positionDenied": _("The phone refused to give its position; choose the ward from the list instead."),
        "summaryToday": _("Today on this phone"),
        "summaryServer": _("Recorded under your name today (all devices, on the server)"),
        "noGuides": _("No guide opened recently. Guides you open while online are kept for offline use."),
        "searchEmpty": _("No procedure found. Try other words."),
        "searchUnavailable": _("The procedure list is not on this phone yet: open this page once online."),
        "storageUnavailable": _(
            "This browser cannot keep records (private window or storage turned off): nothing can be saved "
            "offline here."
        ),
    }


def offline_config(user: User) -> dict[str, Any]:
    """What the script needs, as JSON in the page (no personal data of citizens; the CSRF token is
    asked afresh before each sync, since the kept page's may be old)."""
    return {
        "userId": user.pk,
        "api": {"sessions": "/api/v1/help-sessions"},
        "urls": {
            "state": reverse("helpdesk:offline_state"),
            "worker": reverse("pwa_service_worker"),
            "shell": reverse("helpdesk:offline_desk"),
            "searchIndex": reverse("search:offline_index"),
            "login": reverse("login") + "?next=" + reverse("helpdesk:offline_desk"),
        },
        "limits": {"notes": free_text.NOTES},  # inputs without a maxlength
        "labels": _labels(),
        "messages": _messages(),
        "today": timezone.localdate().isoformat(),
    }


@require_GET
@login_required
def offline_desk(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    access.require_recorder(user)
    form = OfflineSessionForm(
        points=access.points_for_recorder(user).select_related("unit"),
        activities=access.activities_for_recorder(user),
    )
    response = render(
        request,
        "helpdesk/offline/desk.html",
        # JSON in an attribute rather than in a script element: pages hold no inline script (CSP).
        {"form": form, "offline_config_json": json.dumps(offline_config(user), ensure_ascii=False)},
    )
    return allow_on_this_page(response, "geolocation")  # the position, only when the volunteer ticks it


@require_GET
@never_cache
def offline_state(request: HttpRequest) -> JsonResponse:
    """Who is signed in and a fresh CSRF token, asked before each sync (the cached page's may be old)."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"signedIn": False, "userId": None, "csrfToken": None})
    return JsonResponse(
        {
            "signedIn": True,
            "userId": user.pk,
            "csrfToken": get_token(request),
            "canRecord": access.can_record(user),
        }
    )
