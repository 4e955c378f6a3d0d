"""Lists answer {"items": [...], "count": N}, paged with ?page= and ?page_size=.

Bad paging values are refused, not clamped: page=abc, page=0, page_size=0 or
page_size=101 answer 422 (code "invalid") naming the parameter, so a client bug shows up
at once instead of silently getting a different page. A page past the end is not an
error: it answers an empty `items` with the true `count`.

    from ninja import Query
    from portal.api.pagination import PageParams, page_of, paginate

    @router.get("/things", response={200: page_of(ThingOut), **errors(401, 422)})
    def things(request, paging: Query[PageParams]):
        return paginate(things_visible_to(request.user), paging)
"""

from __future__ import annotations

from functools import cache

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

from portal.api.schemas import Out

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=f"Items per page, 1 to {MAX_PAGE_SIZE}.")


@cache
def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The response schema of a paged list of `item_schema` (named <Item>Page)."""
    return create_model(
        f"{item_schema.__name__}Page",
        __base__=Out,
        items=(list[item_schema], ...),
        count=(int, Field(..., description="Number of items on all pages.")),
    )


def paginate(queryset: QuerySet | list, params: PageParams) -> dict:
    """One page of `queryset` (already scoped, filtered, ordered and with its related rows
    selected) and the total count: two queries whatever the page size."""
    start = (params.page - 1) * params.page_size
    if isinstance(queryset, list):
        return {"items": queryset[start:start + params.page_size], "count": len(queryset)}
    count = queryset.count()
    items = list(queryset[start:start + params.page_size]) if start < count else []
    return {"items": items, "count": count}
