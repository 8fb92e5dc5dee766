"""Pages of a long list: the rows of one page and how many there are in all. Every list page
is a ``Halaman`` made by ``page_of`` (the pickers' look-ups, which ask for one row more rather
than count, are app.services.lookup)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import FromClause, Select, func, select
from sqlalchemy.orm import Session

PER_HALAMAN = 50  # rows per page, unless a list asks for another size

T = TypeVar("T")


@dataclass(frozen=True)
class Halaman(Generic[T]):
    """Page ``nomor`` (from 1) of a list of ``total`` rows, ``per_halaman`` rows a page."""

    rows: list[T]
    total: int
    nomor: int
    per_halaman: int

    @property
    def jumlah(self) -> int:
        """How many pages there are; an empty list has one (empty) page."""
        return max(1, math.ceil(self.total / self.per_halaman))


def page_of(
    session: Session,
    query: Select,
    nomor: int,
    *,
    per_halaman: int | None = None,
    entities: bool = True,
    counted: FromClause | None = None,
    total: int | None = None,
) -> Halaman[Any]:
    """Page ``nomor`` of ``query`` — its entities, or its rows (``entities=False``) — the
    last page when ``nomor`` lies beyond it. Two statements: the count and the page.

    ``counted``: the same rows, cheaper to count, when ``query`` only joins them to what the
    page shows (joins that neither add nor drop a row). ``total``: their number when it is
    known already (a maintained count, app.services.hitungan), which saves the count."""
    size = per_halaman or PER_HALAMAN
    if total is None:
        if counted is None:
            counted = query.order_by(None).subquery()
        total = session.execute(select(func.count()).select_from(counted)).scalar_one()
    nomor = min(max(nomor, 1), max(1, math.ceil(total / size)))
    result = session.execute(query.offset((nomor - 1) * size).limit(size))
    return Halaman(list(result.scalars() if entities else result), total, nomor, size)
