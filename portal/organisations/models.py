from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Unit(MP_Node):
    """A supervising body. The tree runs county bureau → squads and justice offices;
    a caseworker of a unit sees the supervisees of that unit and every unit below it."""

    class Kind(models.TextChoices):
        CITY = "city", _("City detachment")
        BUREAU = "bureau", _("County bureau")
        SQUAD = "squad", _("Squad")
        JUSTICE_OFFICE = "justice_office", _("Justice office")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        "taxonomy.District", on_delete=models.PROTECT, null=True, blank=True,
        related_name="units", verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def subtree_q(self, prefix: str = "unit__") -> Q:
        """Q matching rows whose unit is this unit or one of its descendants."""
        return Q(**{f"{prefix}path__startswith": self.path})


class Organisation(models.Model):
    """A partner: NGO, counselling provider, enterprise or volunteer team."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        COUNSELLING = "counselling", _("Counselling provider")
        ENTERPRISE = "enterprise", _("Partner enterprise")
        VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    district = models.ForeignKey(
        "taxonomy.District", on_delete=models.PROTECT, null=True, blank=True,
        related_name="organisations", verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    partner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="partners",
        verbose_name=_("partner unit"),
        help_text=_("The corrections unit this partner works with."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in a unit (caseworker, unit administrator) or in a partner
    organisation (staff, manager). Exactly one of unit and organisation is set."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        UNIT_ADMIN = "unit_admin", _("Unit administrator")
        PARTNER_STAFF = "partner_staff", _("Partner staff")
        PARTNER_MANAGER = "partner_manager", _("Partner manager")

    UNIT_ROLES = (Role.CASEWORKER, Role.UNIT_ADMIN)
    PARTNER_ROLES = (Role.PARTNER_STAFF, Role.PARTNER_MANAGER)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("unit"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, organisation__isnull=True,
                      role__in=["caseworker", "unit_admin"])
                    | Q(unit__isnull=True, organisation__isnull=False,
                        role__in=["partner_staff", "partner_manager"])
                ),
                name="membership_unit_xor_organisation",
            ),
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unit_unique",
                                    condition=Q(unit__isnull=False)),
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_org_unique",
                                    condition=Q(organisation__isnull=False)),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit or self.organisation}"
