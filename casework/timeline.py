"""Help-plan changes for the casework timeline (portal.timeline). One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.timeline import Event

from .models import HelpPlanRevision

LIMIT = 300


def events(supervisee, *, viewer):
    url = reverse("casework:person", args=[supervisee.pk])
    for r in (HelpPlanRevision.objects.filter(supervisee=supervisee)
              .select_related("changed_by").order_by("-changed_at")[:LIMIT]):
        title = (_("Help plan written") if r.number == 1
                 else _("Help plan changed (revision %(n)s)") % {"n": r.number})
        who = str(r.changed_by)
        yield Event(when=r.changed_at, kind="plan", title=title,
                    detail=" · ".join(x for x in (who, r.note) if x), url=url)
