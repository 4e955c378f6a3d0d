from django.db.models import Count, Q

from portal.access import actor_for, units_visible_to
from portal.organisations.models import Membership, Organisation
from portal.people.models import Supervisee


def unit_rows(user) -> list:
    """Each visible unit with its people in correction and in post-release help."""
    return list(
        units_visible_to(user)
        .annotate(
            in_correction=Count("supervisees", filter=Q(
                supervisees__status=Supervisee.Status.IN_CORRECTION)),
            released=Count("supervisees", filter=Q(
                supervisees__status=Supervisee.Status.RELEASED)),
            staff=Count("memberships", distinct=True),
        )
        .order_by("path")
    )


def partner_counts(user) -> list:
    counts = dict(
        Organisation.objects.filter(is_active=True).values_list("kind")
        .annotate(n=Count("pk")).values_list("kind", "n")
    )
    return [(label, counts.get(kind, 0)) for kind, label in Organisation.Kind.choices]


def partner_overview(user) -> dict:
    actor = actor_for(user)
    organisations = list(actor.organisations)
    colleagues = (
        Membership.objects.filter(organisation__in=organisations)
        .exclude(user=user).select_related("user", "organisation")
        .order_by("organisation__name", "user__display_name")
    )
    return {"organisations": organisations, "colleagues": list(colleagues)}


def editor_overview(user) -> dict:
    from wagtail.models import Page

    pages = (
        Page.objects.filter(depth__gt=1).specific(defer=True)
        .order_by("-latest_revision_created_at")[:10]
    )
    drafts = Page.objects.filter(has_unpublished_changes=True, depth__gt=1).count()
    return {"recent_pages": list(pages), "drafts": drafts}
