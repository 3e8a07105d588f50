"""The accounts' own records: invitations, and self sign-up by a unit's link.

- ``Invitation``: a single-use, expiring link that lets a volunteer make their own account. Only a
  SHA-256 digest of the link's token is stored, as for API tokens: a copy of the database opens no
  account. The token is shown once, to the person who makes or resends the invitation.
- ``SignupLink`` and ``SignupRequest``: a unit's published link, and the requests people send
  through it. A request holds what the person typed and, for the password, only Django's hash (the
  same format as ``User.password``): no account exists until a leader approves, so a rejected or
  forgotten request never leaves a usable account, an occupied username or a row in the user lists
  behind. Approval copies the hash to the new account; the password itself is never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xungkich.core.free_text import SCREENED
from xungkich.people.models import OrgUnit, Skill, Volunteer


class Invitation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Waiting")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    volunteer = models.ForeignKey(
        "people.Volunteer", verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="invitations"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["volunteer", "used_at", "revoked_at"], name="invitation_open")]

    def __str__(self) -> str:
        return f"{self.volunteer} ({self.get_state_display()})"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class SignupLink(models.Model):
    """One sign-up link per unit; renewing it changes the token, turning it off keeps the row."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="signup_link"
    )
    token = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-up link")
        verbose_name_plural = _("sign-up links")

    def __str__(self) -> str:
        return str(self.unit)


class SignupRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="signup_requests"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Volunteer.Gender.choices, blank=True, default=""
    )
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True, default="")
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True)
    username = models.CharField(_("username"), max_length=150)
    # Django's password hash (make_password), never the password.
    password_hash = models.CharField(max_length=128)
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(
        _("reason"), max_length=SCREENED["accounts.SignupRequest"]["reason"], blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signup_request",
    )

    class Meta:
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "decided_at"])]

    def __str__(self) -> str:
        # Not the name: the audit log keeps this text after a rejected request's data is deleted.
        return _("Sign-up request #%(pk)s") % {"pk": self.pk}
