"""Campaigns, their outreach activities (with photo evidence) and events with registration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xungkich.core import free_text
from xungkich.lib.phones import display_phone
from xungkich.people.models import AdminUnit, OrgUnit


class Campaign(models.Model):
    """A campaign run by ``unit`` (the owner) with the units taking part, over a period, with targets."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=free_text.NOTES, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="campaigns"
    )
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("units taking part"), blank=True, related_name="campaigns_joined"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    target_citizens_helped = models.PositiveIntegerField(_("target: citizens helped"), default=0)
    target_accounts_created = models.PositiveIntegerField(_("target: accounts created"), default=0)
    target_materials = models.PositiveIntegerField(_("target: banners and panels placed"), default=0)
    target_participants = models.PositiveIntegerField(_("target: participants"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                name="campaign_period_ordered", condition=Q(end_date__gte=models.F("start_date"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Kind(models.TextChoices):
        BANNERS = "banners", _("Banners and slogans")
        PANELS = "panels", _("Panels")
        PARADE = "parade", _("Parade")
        DOOR_TO_DOOR = "door_to_door", _("Door to door")
        COMMUNITY = "community", _("Community session")
        MOBILE_DESK = "mobile_desk", _("Mobile help desk")
        ONLINE_POST = "online_post", _("Online post")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    ward = models.ForeignKey(
        AdminUnit, verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    units = models.ManyToManyField(OrgUnit, verbose_name=_("units"), blank=True, related_name="+")
    materials_count = models.PositiveIntegerField(_("materials (banners, panels, leaflets)"), default=0)
    participants_count = models.PositiveIntegerField(_("participants"), default=0)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    citizens_helped = models.PositiveIntegerField(_("citizens helped"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    notes = models.TextField(_("notes"), max_length=free_text.NOTES, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["campaign", "date"], name="activity_campaign_date")]

    def __str__(self) -> str:
        return self.title


#: "Banners and panels placed" counts the materials of activities of these kinds only: leaflets handed
#: out door to door or online posts are not banners (the campaign page and the reports alike).
BANNER_KINDS = ("banners", "panels")  # Activity.Kind.BANNERS, Activity.Kind.PANELS


class ActivityPhoto(models.Model):
    """Evidence: a re-encoded JPEG without any EXIF (no location, no camera data)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="campaigns/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.image.name or ""


class Event(models.Model):
    """An event of a campaign that people sign up for on a public page (``/e/<code>/``).

    ``audience`` decides what the sign-up asks: Youth Union members give their unit; an event for
    citizens (e.g. a VNeID day for older people) asks only for a name and a phone number.
    """

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Youth Union members")
        CITIZENS = "citizens", _("Citizens (open to everyone)")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=free_text.NOTES, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("meeting place"), max_length=250)
    ward = models.ForeignKey(
        AdminUnit, verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("places"))
    registration_open = models.BooleanField(_("registration open"), default=True)
    audience = models.CharField(
        _("who signs up"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.MEMBERS,
        help_text=_(
            "Youth Union members give their unit when they sign up; citizens give only their name and phone."
        ),
    )
    # Random, in the public address; not guessable from the primary key.
    code = models.CharField(max_length=16, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.CheckConstraint(name="event_capacity_positive", condition=Q(capacity__gte=1))]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """One person's place (or waiting-list place) at an event. Minimal data, with consent.

    A member gives a unit (picked or written); a citizen at an event for citizens gives none."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_text = models.CharField(_("unit (as written)"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20)  # E.164
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # The QR code carries ``token`` (random, 128 bits); ``code`` is a short form to type by hand.
    token = models.CharField(max_length=40, unique=True, editable=False)
    code = models.CharField(_("ticket code"), max_length=8, editable=False)
    consent_version = models.CharField(max_length=20)
    consent_text = models.TextField(blank=True)  # the words shown, in the language shown
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_phone",
            ),
            models.UniqueConstraint(fields=["event", "code"], name="registration_unique_code_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def unit_label(self) -> str:
        if self.unit_id and self.unit is not None:
            return self.unit.name
        return self.unit_text
