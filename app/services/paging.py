"""Pages of a long list: the rows of one page and how many there are in all."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PER_HALAMAN = 50


@dataclass(frozen=True)
class Halaman:
    """One page of a list and how many rows there are in all."""

    rows: list[Any]
    total: int
    nomor: int

    @property
    def jumlah(self) -> int:
        return max(1, math.ceil(self.total / PER_HALAMAN))


def page_of(session: Session, query: Select, nomor: int, entities: bool = True) -> Halaman:
    """Two statements: the count and the page (rows of ``query``, or its entities)."""
    counted = query.order_by(None).subquery()
    total = session.execute(select(func.count()).select_from(counted)).scalar_one()
    nomor = max(1, nomor)
    result = session.execute(query.offset((nomor - 1) * PER_HALAMAN).limit(PER_HALAMAN))
    return Halaman(list(result.scalars() if entities else result), total, nomor)
