"""Look-ups behind the search-as-you-type pickers of the forms (app/views/pickers.py): a page
of matches at a time, always inside the viewer's scope, so that no page carries a whole table
and nobody can enumerate people they may not see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.security import scope

PAGE_SIZE = 20
MAX_TERM = 100


@dataclass(frozen=True)
class Matches:
    rows: list[Any]
    more: bool


def _visible(model: type, viewer: scope.Viewer) -> Any:
    query = select(model)
    clause = scope.scope_clause(model, viewer)
    return query if clause is None else query.where(clause)


def search(
    session: Session,
    model: type,
    viewer: scope.Viewer,
    term: str,
    page: int,
    columns: Sequence[str],
    order: Sequence[str],
) -> Matches:
    """Page ``page`` (from 1) of the rows whose ``columns`` contain ``term`` (any case)."""
    query = _visible(model, viewer)
    term = typed(term)
    if term:
        query = query.where(
            or_(*(getattr(model, name).icontains(term, autoescape=True) for name in columns))
        )
    ordered = query.order_by(*(getattr(model, name) for name in order), model.id)
    return matches(session, ordered, page)


def typed(term: str) -> str:
    """What the user typed, as the look-ups search for it."""
    return term.strip()[:MAX_TERM]


def matches(session: Session, query: Any, page: int, entities: bool = True) -> Matches:
    """Page ``page`` (from 1) of an ordered ``query``, PAGE_SIZE rows and whether more
    follow: its entities, or (``entities`` off) its rows as tuples."""
    result = session.execute(query.offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    rows = list(result.scalars() if entities else result.tuples())
    return Matches(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE)


def get(session: Session, model: type, viewer: scope.Viewer, row_id: Any) -> Any | None:
    """The row a picker's value names, or None when it is no id, no row or out of scope."""
    try:
        key = int(row_id)
    except (TypeError, ValueError):
        return None
    if not 0 < key < 2**63:  # what no database id is, and what SQLite cannot bind
        return None
    return session.execute(_visible(model, viewer).where(model.id == key)).scalar_one_or_none()
