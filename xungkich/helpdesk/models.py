"""Help sessions, consented follow-ups, ratings and the known issues board.

HelpSession ──0..1── FollowUp (phone kept only with consent, deleted after the call or the retention)
    └── ticket (0..1, from the queue)         Rating ── ticket (one per ticket, from the citizen's phone)
KnownIssue (a live problem with its workaround, shown on every desk page until closed)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xungkich.core import free_text
from xungkich.tickets.models import Need


class Channel(models.TextChoices):
    VNEID = "vneid", _("VNeID")
    NATIONAL = "national_portal", _("National public service portal")
    POLICE = "police_portal", _("Ministry of Public Security portal")
    PROVINCIAL = "provincial_portal", _("Provincial portal")
    NONE = "none", _("No portal")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTIAL = "partial", _("Partly done")
    REFERRED = "referred", _("Referred to a counter")
    FAILED = "failed", _("Could not be done")


class FailureReason(models.TextChoices):
    """Why it did not work. Stable codes: reports count them."""

    NO_CHIP_CARD = "no_chip_card", _("No chip ID card")
    NO_NFC = "no_nfc", _("Phone without NFC")
    CHIP_NOT_READ = "chip_not_read", _("Chip card not read")
    FORGOT_PASSWORD = "forgot_password", _("Forgot password")
    NO_OTP = "no_otp", _("No OTP message")
    SIM_NOT_OWN = "sim_not_own", _("SIM not in own name")
    MISSING_PAPERS = "missing_papers", _("Papers missing")
    SYSTEM_ERROR = "system_error", _("System error")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    A18_35 = "18_35", _("18–35")
    A36_59 = "36_59", _("36–59")
    A60_PLUS = "60p", _("60 and over")
    UNKNOWN = "", _("Not asked")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not stated")


class PerformedBy(models.TextChoices):
    CITIZEN = "citizen", _("The citizen alone")
    GUIDED = "guided", _("The citizen, guided")
    VOLUNTEER = "volunteer", _("The volunteer, on their behalf")


class PlaceKind(models.TextChoices):
    POINT = "point", _("At the service point")
    DOOR = "door_to_door", _("Door to door")
    MOBILE = "mobile", _("Mobile help desk")
    OTHER = "other", _("Elsewhere")


class TrackingState(models.TextChoices):
    """Whether the procedure really got done, for dossiers followed with the person's consent."""

    NOT_TRACKED = "", _("Not followed")
    WAITING = "waiting", _("Waiting for the result")
    RECEIVED = "received", _("Result received")
    REJECTED = "rejected", _("Dossier returned or rejected")
    LOST = "lost", _("No news")


class HelpSession(models.Model):
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="help_sessions"
    )
    point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_sessions",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_sessions",
    )
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="help_sessions",
    )
    helped_on = models.DateField(_("day"))  # local date
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    place_kind = models.CharField(
        _("place"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.POINT
    )
    place_text = models.CharField(_("where"), max_length=free_text.PLACE, blank=True)
    place_ward = models.ForeignKey(
        "people.AdminUnit",
        verbose_name=_("ward of the place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Help given during a campaign activity (mobile desk, door to door) counts towards its progress.
    activity = models.ForeignKey(
        "campaigns.Activity",
        verbose_name=_("campaign activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_sessions",
    )
    # Where the help was, from the phone's position, only when the volunteer chose to share it on the
    # offline desk; rounded to 3 decimals (about 110 m: the hamlet or street block, not the house).
    latitude = models.DecimalField(_("latitude"), max_digits=6, decimal_places=3, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=6, decimal_places=3, null=True, blank=True)
    # When the volunteer saved the record on the phone (offline desk); created_at is when it arrived.
    device_recorded_at = models.DateTimeField(_("recorded on the phone at"), null=True, blank=True)

    need = models.CharField(_("need"), max_length=20, choices=Need.choices)
    # Until the procedure catalogue exists these are plain text; later a foreign key to it.
    procedure_code = models.CharField(_("procedure code"), max_length=30, blank=True)
    procedure_name = models.CharField(_("procedure"), max_length=free_text.PROCEDURE_NAME, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.VNEID)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    failure_reason = models.CharField(
        _("reason"), max_length=20, choices=FailureReason.choices, blank=True, default=""
    )
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True, default="")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    ward = models.ForeignKey(
        "people.AdminUnit",
        verbose_name=_("ward of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_online = models.BooleanField(_("first online procedure"), null=True, blank=True)
    performed_by = models.CharField(
        _("who did the steps"), max_length=10, choices=PerformedBy.choices, default=PerformedBy.GUIDED
    )
    notes = models.TextField(_("notes"), max_length=free_text.NOTES, blank=True)  # screened

    # Following the dossier until the result arrives: only with the person's consent.
    tracking_consent_version = models.CharField(max_length=30, blank=True)
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    expected_result_on = models.DateField(_("expected result date"), null=True, blank=True)
    tracking_state = models.CharField(
        _("follow-up of the dossier"), max_length=10, choices=TrackingState.choices, blank=True, default=""
    )
    tracking_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-helped_on", "-created_at"]
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(ticket__isnull=False), name="helpsession_one_per_ticket"
            ),
            models.CheckConstraint(
                name="helpsession_reason_only_when_failed",
                condition=Q(outcome="failed") | Q(failure_reason=""),
            ),
            models.CheckConstraint(
                name="helpsession_position_both_or_none",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="helpsession_dossier_only_with_consent",
                condition=Q(tracking_consent_version__gt="") | Q(dossier_code="", expected_result_on=None),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "helped_on"], name="helpsession_unit_day_idx"),
            models.Index(fields=["point", "helped_on"], name="helpsession_point_day_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_need_display()} {self.helped_on:%d/%m/%Y}"


class FollowUp(models.Model):
    """One consented call N days after the help: did the person do an online procedure alone since?"""

    class Status(models.TextChoices):
        DUE = "due", _("To call")
        ANSWERED = "answered", _("Answered")
        UNREACHABLE = "unreachable", _("Could not reach")
        EXPIRED = "expired", _("Expired")
        ERASED = "erased", _("Erased on request")

    session = models.OneToOneField(HelpSession, on_delete=models.CASCADE, related_name="followup")
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # E.164; blank once purged
    consent_version = models.CharField(max_length=30)
    consented_at = models.DateTimeField()
    due_on = models.DateField(_("call on"))
    delete_by = models.DateField()  # end of the retention period
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DUE)
    did_online_alone = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="followup_answer_only_when_answered",
                condition=Q(status="answered") | Q(did_online_alone=None),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="followup_status_due_idx"),
            models.Index(fields=["phone"], name="followup_phone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.due_on:%d/%m/%Y}"


class Rating(models.Model):
    """The citizen's one-question rating, from the QR code on their ticket; one per ticket."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=free_text.COMMENT, blank=True)  # screened
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="rating_score_1_to_5", condition=Q(score__gte=1, score__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"


class KnownIssue(models.Model):
    """A live problem (portal down, OTP late, a VNeID error code) and how to get round it."""

    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="known_issues"
    )
    # Every unit whose path starts with this prefix (the poster's ward team) sees the issue.
    scope_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("problem"), max_length=150)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    workaround = models.TextField(_("workaround"), max_length=free_text.NOTES, blank=True)  # screened
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("known issue")
        verbose_name_plural = _("known issues")

    def __str__(self) -> str:
        return self.title
