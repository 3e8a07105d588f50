"""Volunteer import on the web: upload → preview → confirm. Thin views over ``service``.

Between requests the uploaded bytes wait in the private storage (PRIVATE_ROOT/imports/, never
served over HTTP) under a random name, and the user's session maps the preview token to that file:
no model, nothing in process memory, and only the uploader's session can reach it. Files hold
personal data: they are deleted after the import and, at each upload, when older than a day.

The upload is checked in the request (size, type, spreadsheet bombs, row limit: milliseconds, no
parsing). A short list is then read at once; a long one (``jobs``) is read by the background
worker while the preview page shows the progress.
"""

from __future__ import annotations

import contextlib
import secrets
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xungkich.core.errors import DomainError
from xungkich.people.imports import jobs, queue, reading, service
from xungkich.people.imports.reading import ImportFileError, max_import_rows
from xungkich.people.imports.uploads import KEEP_FOR, UPLOAD_DIR
from xungkich.people.models import OrgUnit, User
from xungkich.people.scope import managed_units, require_people_manager

SESSION_KEY = "xk_volunteer_imports"
MAX_PENDING = 5  # uploads remembered per session
STORED_EXTENSIONS = {".xlsx", ".xlsm", ".csv", ".txt", ".tsv"}


def _storage() -> Storage:
    return storages["private"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Volunteer list"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.txt"}),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "For rows without a unit (or when the file has no unit column). "
            "Volunteers already registered stay in their unit."
        ),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file, as your unit keeps it: at most %(rows)s rows "
            "and %(size)s MB."
        ) % {
            "rows": number_format(max_import_rows(), force_grouping=True),
            "size": settings.XK_IMPORT_MAX_BYTES // (1024 * 1024),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.XK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large; the limit is %(limit)s MB.")
                % {"limit": settings.XK_IMPORT_MAX_BYTES // (1024 * 1024)},
                code="import_file_too_large",
            )
        return upload


def _user(request: HttpRequest) -> User:
    """The signed-in user (the views are behind login_required)."""
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    units = managed_units(request.user).order_by("path")
    form = ImportUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        unit = form.cleaned_data["unit"]
        try:
            # Size, type, spreadsheet bombs and the row limit: milliseconds, before any parsing.
            background = reading.check_file(data, uploaded.name) > jobs.background_rows()
            if not background:  # a small list is read here, so its problems show on this form
                service.check_upload(data=data, filename=uploaded.name, by=_user(request), default_unit=unit)
        except DomainError as exc:
            form.add_error("unit" if exc.code == "import_unit_required" else "file", str(exc))
        else:
            token = _remember(request, data, uploaded.name, unit, background=background)
            url = reverse("people:import_preview", args=[token])
            if _is_htmx(request):
                return HttpResponse(headers={"HX-Redirect": url})
            return redirect(url)
    template = "people/_import_form.html" if _is_htmx(request) else "people/import_upload.html"
    return render(request, template, {"form": form})


@require_http_methods(["GET"])
@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    require_people_manager(request.user)
    pending, data = _pending(request, token)
    table = None
    if pending.get("background"):
        state = jobs.progress(pending["file"])
        if state["state"] == jobs.FAILED:
            _forget(request, token)
            messages.error(request, state["message"] or _("The file could not be read. Upload it again."))
            return redirect("people:import_upload")
        table = jobs.load_table(pending["file"])
        if table is None:  # still in the queue: show the progress, the page asks again
            if _is_htmx(request):
                return render(request, "people/_import_reading.html", {"state": state, "token": token})
            return render(request, "people/import_reading.html", {"state": state, "token": token})
        if _is_htmx(request):
            return HttpResponse(headers={"HX-Redirect": request.path})
    try:
        result = service.preview_import(
            data=None if table is not None else data,
            table=table,
            filename=pending["filename"],
            by=_user(request),
            default_unit=_unit(request, pending),
        )
    except DomainError as exc:
        _forget(request, token)
        messages.error(request, str(exc))
        return redirect("people:import_upload")
    return render(request, "people/import_preview.html", {"preview": result, "token": token})


@require_http_methods(["POST"])
@login_required
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    require_people_manager(request.user)
    pending, data = _pending(request, token)
    table = None
    if pending.get("background"):
        table = jobs.load_table(pending["file"])
        if table is None:
            return redirect("people:import_preview", token=token)
    try:
        result = service.apply_import(
            data=None if table is not None else data,
            table=table,
            filename=pending["filename"],
            by=_user(request),
            default_unit=_unit(request, pending),
        )
    except ImportFileError as exc:
        _forget(request, token)
        messages.error(request, str(exc))
        return redirect("people:import_upload")
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("people:import_preview", token=token)
    _forget(request, token)
    messages.success(request, service.result_line(result))
    return redirect("people:volunteer_list")


# --- Pending uploads ----------------------------------------------------------------------------


def _remember(
    request: HttpRequest, data: bytes, filename: str, unit: OrgUnit | None, *, background: bool
) -> str:
    _delete_old_files()
    ext = PurePath(filename).suffix.lower()
    ext = ext if ext in STORED_EXTENSIONS else ".bin"
    # The stored name is not the token in the URL: a URL seen over someone's shoulder or in a log
    # never names the file.
    stored = _storage().save(f"{UPLOAD_DIR}/{secrets.token_urlsafe(24)}{ext}", ContentFile(data))
    token = secrets.token_urlsafe(16)
    pending: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {
        "file": stored,
        "filename": PurePath(filename).name[:200],
        "unit": unit.pk if unit else None,
        "user": request.user.pk,
        "at": timezone.now().timestamp(),
        "background": background,
    }
    for old in sorted(pending, key=lambda key: pending[key]["at"])[:-MAX_PENDING]:
        _delete_file(pending.pop(old)["file"])
    request.session[SESSION_KEY] = pending
    if background:
        queue.start(stored=stored, filename=filename, language=translation.get_language() or "")
    return token


def _pending(request: HttpRequest, token: str) -> tuple[dict[str, Any], bytes]:
    """The upload behind the token, for its uploader only; 404 for anyone else or once it is gone."""
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending.get("user") != request.user.pk:
        raise Http404
    try:
        with _storage().open(pending["file"], "rb") as handle:
            return pending, handle.read()
    except FileNotFoundError:
        _forget(request, token)
        raise Http404 from None


def _unit(request: HttpRequest, pending: dict[str, Any]) -> OrgUnit | None:
    if pending.get("unit") is None:
        return None
    unit = managed_units(request.user).filter(pk=pending["unit"]).first()
    if unit is None:
        raise Http404
    return unit


def _forget(request: HttpRequest, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None)
    if entry is not None:
        _delete_file(entry["file"])
        request.session[SESSION_KEY] = pending


def _delete_file(name: str) -> None:
    jobs.discard(name)
    with contextlib.suppress(OSError):
        _storage().delete(name)


def _delete_old_files() -> None:
    """Uploads older than KEEP_FOR hold personal data nobody will import any more."""
    try:
        _, files = _storage().listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - KEEP_FOR
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if _storage().get_modified_time(path) < limit:
                _storage().delete(path)
        except (OSError, NotImplementedError):
            continue
