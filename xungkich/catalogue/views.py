"""Procedure pages for citizens and the coordinators' procedure import.

Procedure pages are public (no sign-in: citizens open them from a QR code or a link).
The import (upload → preview → confirm) is for coordinators; the uploaded file waits in the
private storage under a random name known only to the uploader's session.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.catalogue import imports as catalogue_import
from xungkich.catalogue.imports import UPLOAD_DIR
from xungkich.catalogue.models import Procedure
from xungkich.core.errors import DomainError
from xungkich.people.imports.reading import ImportFileError
from xungkich.people.models import User
from xungkich.people.scope import require_coordinator

SESSION_KEY = "xk_procedure_imports"
MAX_PENDING = 5


# --- Citizens ------------------------------------------------------------------------------------


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.prefetch_related("channels__fees"), code=code)
    today = timezone.localdate()
    channels = []
    for channel in procedure.channels.all():
        fees = list(channel.fees.all())
        current = channel.fee_on(today)
        upcoming = [fee for fee in fees if fee.effective_from and fee.effective_from > today]
        channels.append({"channel": channel, "fee": current, "upcoming": upcoming})
    return render(
        request,
        "catalogue/procedures/detail.html",
        {"procedure": procedure, "channels": channels, "today": today},
    )


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    procedures = Procedure.objects.only("code", "name", "field", "online_mode", "verified").order_by(
        "field", "name"
    )
    groups: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        groups.setdefault(procedure.field or _("Other"), []).append(procedure)
    return render(request, "catalogue/procedures/list.html", {"groups": sorted(groups.items())})


# --- Import (coordinators) ----------------------------------------------------------------------


class ProcedureImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Procedure list"),
        help_text=gettext_lazy("An export of the national procedure database: Excel (.xlsx) or CSV."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.XK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large; the limit is %(limit)s MB.")
                % {"limit": settings.XK_IMPORT_MAX_BYTES // (1024 * 1024)},
                code="import_file_too_large",
            )
        return upload


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    form = ProcedureImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        try:
            catalogue_import.preview_import(data=data, filename=uploaded.name)
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            token = _remember(request, data, uploaded.name)
            return redirect("catalogue:procedure_import_preview", token=token)
    return render(request, "catalogue/procedures/import_upload.html", {"form": form})


@require_GET
@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    require_coordinator(request.user)
    pending, data = _pending(request, token)
    try:
        preview = catalogue_import.preview_import(data=data, filename=pending["filename"])
    except ImportFileError as exc:
        _forget(request, token)
        messages.error(request, str(exc))
        return redirect("catalogue:procedure_import")
    return render(request, "catalogue/procedures/import_preview.html", {"preview": preview, "token": token})


@require_POST
@login_required
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    require_coordinator(request.user)
    pending, data = _pending(request, token)
    try:
        result = catalogue_import.apply_import(
            data=data, filename=pending["filename"], by=cast(User, request.user)
        )
    except ImportFileError as exc:
        _forget(request, token)
        messages.error(request, str(exc))
        return redirect("catalogue:procedure_import")
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("catalogue:procedure_import_preview", token=token)
    _forget(request, token)
    messages.success(request, catalogue_import.result_line(result))
    return redirect("catalogue:procedure_list")


def _remember(request: HttpRequest, data: bytes, filename: str) -> str:
    storage = storages["private"]
    ext = PurePath(filename).suffix.lower()
    ext = ext if ext in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv") else ".bin"
    stored = storage.save(f"{UPLOAD_DIR}/{secrets.token_urlsafe(24)}{ext}", ContentFile(data))
    token = secrets.token_urlsafe(16)
    pending: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {
        "file": stored,
        "filename": PurePath(filename).name[:200],
        "user": request.user.pk,
        "at": timezone.now().timestamp(),
    }
    for old in sorted(pending, key=lambda key: pending[key]["at"])[:-MAX_PENDING]:
        _delete(pending.pop(old)["file"])
    request.session[SESSION_KEY] = pending
    return token


def _pending(request: HttpRequest, token: str) -> tuple[dict[str, Any], bytes]:
    """The upload behind the token, for its uploader only; 404 for anyone else or once it is gone."""
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending.get("user") != request.user.pk:
        raise Http404
    if timezone.now().timestamp() - pending["at"] > dt.timedelta(days=1).total_seconds():
        _forget(request, token)
        raise Http404
    try:
        with storages["private"].open(pending["file"], "rb") as handle:
            return pending, handle.read()
    except FileNotFoundError:
        _forget(request, token)
        raise Http404 from None


def _forget(request: HttpRequest, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None)
    if entry is not None:
        _delete(entry["file"])
        request.session[SESSION_KEY] = pending


def _delete(name: str) -> None:
    with contextlib.suppress(OSError):
        storages["private"].delete(name)
