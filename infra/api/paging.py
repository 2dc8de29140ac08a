"""Offset paging: every list answers one page, the total, and the link to the next page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field

T = TypeVar("T")
# PostgreSQL's OFFSET is a bigint, but no projection comes near this; larger is a caller's error
MAX_OFFSET = 2_147_483_647


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="how many items match the filters, on all pages")
    limit: int
    offset: int
    next: str | None = Field(description="path and query of the next page; null on the last one")


@dataclass(frozen=True)
class PageRequest:
    limit: int
    offset: int


def page_params(default: int, maximum: int) -> Callable[..., PageRequest]:
    """A dependency reading `limit` (1..maximum) and `offset`; past `maximum`, page on."""

    def params(
        limit: int = Query(default, ge=1, le=maximum, description=f"page size, at most {maximum}"),
        offset: int = Query(0, ge=0, le=MAX_OFFSET, description="items to skip"),
    ) -> PageRequest:
        return PageRequest(limit=limit, offset=offset)

    return params


def page(request: Request, items: list[T], total: int, at: PageRequest) -> Page[T]:
    following = None
    if at.offset + at.limit < total:
        # the same filters; only the window moves
        url = request.url.include_query_params(limit=at.limit, offset=at.offset + at.limit)
        following = f"{url.path}?{url.query}"
    return Page(items=items, total=total, limit=at.limit, offset=at.offset, next=following)
