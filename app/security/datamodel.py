"""FAB's data interface with the row-level scope built in, and list pages that cost the same
number of statements whatever their size.

FAB applies ``base_filters`` to list/show/edit/delete, but not to ``@action``/``action_post``,
``/related/`` dropdowns or related-object look-ups. Putting the scope in the interface's
``apply_filters`` covers every path that reads through the datamodel, including the related
interfaces FAB builds for dropdowns (``get_related_interface`` uses ``self.__class__``).

FAB's ModelView lists ``SELECT`` the rows of a page, then each shown relation lazily, row by
row: 25 rows × 4 relations is 100 more statements. ``ListInterface`` loads them with the page
instead (a join for a many-to-one, one ``SELECT … IN`` per to-many), and sorts a relation column
by a column of the related row (FAB orders by the join condition, which is meaningless).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import and_, asc, desc
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Query, aliased, joinedload, selectinload

from app.security import scope
from app.services import jumlah_baris


class ListInterface(SQLAInterface):
    """``eager``: the relations a list page shows; ``related_order``: relation → the column
    of the related row a sort on that relation orders by (e.g. ``{"atasan": "nama"}``)."""

    def __init__(
        self,
        obj: type,
        session: Any = None,
        *,
        eager: Sequence[str] = (),
        related_order: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(obj, session)
        self.eager = tuple(eager)
        self.related_order = dict(related_order or {})

    def delete(self, item: Any, commit: bool = True) -> None:
        # A service (app.services.master) may have removed the row already, in the view's or
        # resource's pre_delete: what is left is the commit.
        if sa_inspect(item).deleted or sa_inspect(item).was_deleted:
            if commit:
                self.session.commit()
            return
        super().delete(item, commit)

    def _eager_options(self) -> list[Any]:
        options = []
        for name in self.eager:
            relation = getattr(self.obj, name)
            to_one = self.is_relation_many_to_one(name) or self.is_relation_one_to_one(name)
            options.append(joinedload(relation) if to_one else selectinload(relation))
        return options

    def apply_all(self, query: Query, *args: Any, **kwargs: Any) -> Query:
        query = super().apply_all(query, *args, **kwargs)
        return query.options(*self._eager_options()) if self.eager else query

    def apply_order_by(
        self,
        query: Query,
        order_column: str,
        order_direction: str,
        *args: Any,
        **kwargs: Any,
    ) -> Query:
        if order_column not in self.related_order:
            return super().apply_order_by(query, order_column, order_direction, *args, **kwargs)
        # An alias of its own: the related table may be the listed one (atasan → pegawai)
        # or already appear in the scope's sub-queries.
        related = aliased(self.get_related_model(order_column))
        direction = asc if order_direction == "asc" else desc
        return query.outerjoin(related, getattr(self.obj, order_column).of_type(related)).order_by(
            direction(getattr(related, self.related_order[order_column])),
            direction(self.get_pk()),
        )


# The list being read and its scope, when that is checked row by row (ScopedInterface.query):
# only that model's query takes it, not a look-up of another model made meanwhile.
_ROW_BY_ROW: ContextVar[tuple[type, Any] | None] = ContextVar("row_by_row", default=None)


class ScopedInterface(ListInterface):
    def query_count(self, query: Query, filters: Any = None, select_columns: Any = None) -> int:
        # A list filtered by nothing but the scope: the head of an OPD's total is read from
        # the maintained counts, not counted over a third of the city per page.
        if filters is None or not filters.filters:
            total = jumlah_baris.total_in_scope(
                self.session, self.obj, scope.current_viewer(self.session)
            )
            if total is not None:
                return total
        return super().query_count(query, filters, select_columns)

    def query(
        self,
        filters: Any = None,
        order_column: str = "",
        order_direction: str = "",
        page: int | None = None,
        page_size: int | None = None,
        select_columns: list[str] | None = None,
        outer_default_load: bool = False,
    ) -> tuple[int, list[Any]]:
        if not order_column:
            # Newest first, in key order: without an order, pages are the database's to
            # shuffle (PostgreSQL's scans start where another one is), and a row may be on
            # two pages or none.
            order_column, order_direction = self.get_pk_name(), "desc"

        def read(scope_clause: Any) -> tuple[int, list[Any]]:
            token = _ROW_BY_ROW.set(None if scope_clause is None else (self.obj, scope_clause))
            try:
                return super(ScopedInterface, self).query(
                    filters,
                    order_column,
                    order_direction,
                    page,
                    page_size,
                    select_columns,
                    outer_default_load,
                )
            finally:
                _ROW_BY_ROW.reset(token)

        walk = None
        if (
            page_size
            and (filters is None or not filters.filters)
            and self._read_in_index_order(order_column)
        ):
            # The head of an OPD, reading in an index's order: each row is checked as it is
            # read (jumlah_baris.row_by_row), where the set of the OPD's keys is built first
            # — among the first rows of that order only, as many as the OPD's share of the
            # table says the page needs. Should they not hold the page (the OPD's rows
            # bunched further on), the page is read again through the set.
            viewer = scope.current_viewer(self.session)
            rows = ((page or 0) + 1) * page_size
            walk = jumlah_baris.row_by_row(self.session, self.obj, viewer, rows)
        if walk is not None:
            column = getattr(self.obj, order_column)
            first = jumlah_baris.among_first(self.obj, column, order_direction == "desc", walk.rows)
            count, found = read(and_(walk.clause, first))
            if len(found) == max(0, min(page_size, count - (page or 0) * page_size)):
                return count, found
        return read(None)

    def _read_in_index_order(self, order_column: str) -> bool:
        """Whether a list sorted by ``order_column`` (none: the table's own order) reads
        its rows in the order of an index — the key, or a column an index starts with — in
        which an OPD's rows are spread as they were written, not bunched. A foreign key
        (the unit, the atasan) bunches them: read in its order, the OPD's rows may come
        after every other OPD's."""
        if order_column in ("", self.get_pk_name()):
            return True
        table = self.obj.__table__
        if order_column not in table.c or table.c[order_column].foreign_keys:
            return False
        return any(
            index.columns and next(iter(index.columns)).name == order_column
            for index in table.indexes
        )

    def apply_filters(self, query: Query, filters: Any) -> Query:
        query = super().apply_filters(query, filters)
        walked = _ROW_BY_ROW.get()
        if walked is not None and walked[0] is self.obj:
            clause = walked[1]
        else:
            clause = scope.scope_clause(self.obj, scope.current_viewer(self.session))
        return query if clause is None else query.filter(clause)

    def get_related_obj(self, col_name: str, value: Any) -> Any:
        related = self.get_related_interface(col_name)
        return related.get(value)
