"""People, roles, Youth Union units and administrative units."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xungkich.core import free_text
from xungkich.lib.phones import display_phone
from xungkich.lib.vietnamese import fold


class AdminUnit(models.Model):
    """An administrative unit of the two-tier system in force since 1/7/2025."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province / centrally-run city")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")
        SPECIAL_ZONE = "special_zone", _("Special zone")

    code = models.CharField(_("official code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
        limit_choices_to={"kind": "province"},
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.CheckConstraint(
                name="adminunit_province_has_no_parent",
                condition=Q(kind="province", province__isnull=True) | ~Q(kind="province"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnit(models.Model):
    """A Youth Union unit: Thành đoàn → Đoàn phường → Chi đoàn / đội hình.

    ``path`` is a materialised path ("000001/000004/") so that "this unit and everything below
    it" is one indexed prefix query at any depth; services keep it in step with ``parent``.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City / provincial Youth Union")
        BASE = "base", _("Ward / commune Youth Union")
        BRANCH = "branch", _("Youth Union branch (chi đoàn)")
        TEAM = "team", _("Volunteer team")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="org_units",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("Youth Union unit")
        verbose_name_plural = _("Youth Union units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is ``other`` or below it."""
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    VOLUNTEER = "volunteer", _("Volunteer")
    KIOSK = "kiosk", _("Kiosk")
    VIEWER = "viewer", _("Viewer (read-only reports)")


class User(AbstractUser):
    """A person or device that signs in. Volunteers without an account have no User."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Chosen with the language switcher; blank until then (the site's language, Vietnamese).
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_scoped_roles_have_unit",
                condition=Q(role__in=["volunteer", "kiosk"]) | Q(unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_unit_leader(self) -> bool:
        return self.role == Role.UNIT_LEADER


class Skill(models.Model):
    """A skill a volunteer has; ``code`` is stable (the roster solver reads it)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNSPECIFIED = "", _("Not stated")

    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="volunteers"
    )
    position = models.CharField(_("Youth Union position"), max_length=100, blank=True)
    # E.164 (+84...). Blank when unknown; unique when present: re-imports match people by it.
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("email"), blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True)
    notes = models.TextField(_("notes"), max_length=free_text.NOTES, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    # Folded name (no diacritics, đ→d) so that "nguyen van an" finds "Nguyễn Văn An" on SQLite
    # and PostgreSQL alike. Kept in step by the services.
    search_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    # Vietnamese lists are ordered by given name (the last word), then the whole name.
    sort_key = models.CharField(max_length=250, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="volunteer_unique_phone"),
        ]
        indexes = [models.Index(fields=["unit", "is_active"], name="volunteer_unit_active")]

    def __str__(self) -> str:
        return self.full_name

    def refresh_keys(self) -> None:
        """Derive the search and sort keys from the name (call before saving a changed name)."""
        self.search_key = fold(self.full_name)
        given_name = self.search_key.rsplit(" ", 1)[-1]
        self.sort_key = f"{given_name} {self.search_key}"

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)
