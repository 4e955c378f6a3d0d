"""Wagtail pages in bulk, with correct treebeard paths.

Page.add_child() saves one page at a time (a handful of queries each, and Wagtail's
signal handlers); creating thousands of course or news pages that way takes minutes.
bulk_children() writes the wagtailcore_page rows with bulk_create, then the specific
table's rows (a multi-table child, which bulk_create refuses) with one INSERT per batch,
and finally fixes the parent's numchild. The pages come out live and published, exactly
as if they had been added one by one, minus revisions (which no key page reads).
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page


def bulk_children(parent: Page, pages: list[Page], *, rng=None, batch_size: int = 2_000):
    """Append `pages` (unsaved instances of one specific Page class) under `parent`.

    `rng` (a random.Random) makes translation keys repeatable for a given seed."""
    if not pages:
        return []
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)  # fresh numchild and path
    content_type = ContentType.objects.get_for_model(model)
    last = parent.get_last_child()
    start = (int(last.path[-Page.steplen:], 36) if last else 0) + 1  # treebeard's base-36 steps
    now = timezone.now()
    base_rows = []
    for offset, page in enumerate(pages):
        key = uuid.UUID(int=rng.getrandbits(128), version=4) if rng else uuid.uuid4()
        base_rows.append(Page(
            path=parent.path + _encode(start + offset),
            depth=parent.depth + 1, numchild=0, title=page.title, draft_title=page.title,
            slug=page.slug, content_type=content_type, live=True,
            has_unpublished_changes=False, url_path=f"{parent.url_path}{page.slug}/",
            seo_title=page.seo_title, show_in_menus=page.show_in_menus,
            search_description=page.search_description, first_published_at=now,
            last_published_at=now, locale_id=parent.locale_id, translation_key=key,
        ))
    with transaction.atomic():
        created = Page.objects.bulk_create(base_rows, batch_size=batch_size)
        if connection.vendor != "postgresql" and created[0].pk is None:
            ids = dict(Page.objects.filter(path__in=[p.path for p in base_rows])
                       .values_list("path", "pk"))
            for row in created:
                row.pk = ids[row.path]
        local = list(model._meta.local_concrete_fields)
        for row, page in zip(created, pages, strict=True):
            for f in model._meta.parents.values():
                setattr(page, f.attname, row.pk)
            page.pk = row.pk
            page.path, page.depth, page.url_path = row.path, row.depth, row.url_path
            page.content_type_id = content_type.pk
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in local)
        marks = ", ".join(["%s"] * len(local))
        rows = [[f.get_db_prep_save(f.pre_save(page, True), connection) for f in local]
                for page in pages]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


def _encode(number: int) -> str:
    """treebeard's base-36 step of Page.steplen characters."""
    alphabet = Page.alphabet
    out = ""
    while number:
        number, rem = divmod(number, len(alphabet))
        out = alphabet[rem] + out
    return out.rjust(Page.steplen, alphabet[0])
