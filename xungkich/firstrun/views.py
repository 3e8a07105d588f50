"""The first-run page: a superuser sets up a fresh install for one province (see setup.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xungkich.core.errors import DomainError
from xungkich.firstrun import setup
from xungkich.firstrun.forms import SetupForm
from xungkich.people.scope import AuthedHttpRequest


@require_http_methods(["GET", "POST"])
@login_required
def province_setup(request: AuthedHttpRequest) -> HttpResponse:
    # Only the person who installed the app, and only once: afterwards the page does not exist.
    if not request.user.is_superuser:
        raise PermissionDenied
    if setup.is_set_up():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = setup.set_up_province(
                by=request.user,
                province_code=data["province"],
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                point_name=data["point_name"],
                point_address=data["point_address"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(city)s and %(count)s ward and commune Youth Unions were created; %(user)s can sign in.")
                % {"city": done.city.name, "count": done.communes, "user": done.coordinator.username},
            )
            return redirect("people:unit_list")
    return render(request, "firstrun/setup.html", {"form": form})
