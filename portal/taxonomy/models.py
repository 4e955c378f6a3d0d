"""Controlled lists that rules refer to: bans name industries, orders name venue types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class District(Term):
    """A county-level area or a township within one. `county` groups districts that
    lie in the same county, the area a supervisee may move in without approval."""

    county = models.CharField(_("county"), max_length=100)

    class Meta(Term.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Skill(Term):
    class Meta(Term.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Industry(Term):
    class Meta(Term.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class VenueType(Term):
    """Kinds of place a prohibition order can name (bars, schools, internet cafés…)."""

    class Meta(Term.Meta):
        verbose_name = _("venue type")
        verbose_name_plural = _("venue types")
