"""One timeline per person: the contract every feature app fills.

Each app that produces events about a supervisee puts a module ``<app>/timeline.py``
with a function::

    def events(supervisee, *, viewer) -> Iterable[Event]

and registers it in ``SOURCES`` below (dotted path). The casework timeline gathers them,
sorts newest first and filters by ``Event.kind``. A source returns only what ``viewer``
(a caseworker or unit administrator who may already see the person, checked by the
caller) may read: never counselling session notes, say.

A source must run a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

# Dotted paths of the sources; add yours here.
SOURCES: list[str] = [
    "courses.timeline.events",
    "volunteering.timeline.events",
    "employment.timeline.events",
    "casework.timeline.events",
    "helpnet.timeline.events",
]


@dataclass(frozen=True)
class Event:
    when: datetime  # aware
    kind: str  # a slug for filtering: "course", "attendance", "hours", "signup",
    # "application", "placement", "referral", "appointment", "fund", "plan"
    title: str  # translated, short: "Enrolled in 民法典讲堂"
    detail: str = ""  # translated, optional
    url: str = ""  # a staff URL to the thing, when there is one


def sources():
    for dotted in SOURCES:
        module, _, name = dotted.rpartition(".")
        yield getattr(import_module(module), name)
