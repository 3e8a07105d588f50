"""The signed-in person's own profile ("Hồ sơ của tôi") and their password change.

Only the signed-in user's own record: there is no id in the URL to change. Shifts and availability
are the roster pages' (linked, not repeated); the language is the header's switcher (the same form).
A kiosk is a shared device in front of citizens: it has no profile.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xungkich.accounts.signup_forms import ProfileForm
from xungkich.core.errors import DomainError
from xungkich.people import services as people_services
from xungkich.people.models import Role, User, Volunteer
from xungkich.people.scope import AuthedHttpRequest


def _not_kiosk(user: User) -> None:
    if user.role == Role.KIOSK and not user.is_superuser:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    _not_kiosk(request.user)
    volunteer = Volunteer.objects.filter(user=request.user).select_related("unit").first()
    form = ProfileForm(request.POST or None, instance=volunteer) if volunteer is not None else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                people_services.update_volunteer(
                    by=request.user,
                    volunteer=volunteer,  # type: ignore[arg-type]
                    data={"phone": form.cleaned_data["phone"]},
                    skills=form.cleaned_data["skills"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("profile")
    return render(request, "accounts/profile.html", {"volunteer": volunteer, "form": form})


@method_decorator(login_required, name="dispatch")
class PasswordChange(auth_views.PasswordChangeView):
    """Django's view (it checks the old password and keeps the session signed in), in the site's style."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("profile")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if isinstance(request.user, User):
            _not_kiosk(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response
