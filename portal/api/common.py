"""Pieces every router uses: the participant an endpoint acts for, absolute links."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.api.errors import ApiError


def participant(person):
    """The person a participants-only endpoint acts for (each area loads them its own
    way), or the one 403 for everybody else."""
    if person is None:
        raise ApiError(403, "not_a_participant",
                       _("Only participants (supervisees) can do this."))
    return person


def absolute(request, path: str | None) -> str:
    """An absolute link for mobile clients; empty when there is nothing to link."""
    return request.build_absolute_uri(path) if path else ""
