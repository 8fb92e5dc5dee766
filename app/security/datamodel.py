"""FAB's data interface with the row-level scope built in.

FAB applies ``base_filters`` to list/show/edit/delete, but not to ``@action``/``action_post``,
``/related/`` dropdowns or related-object look-ups. Putting the scope in the interface's
``apply_filters`` covers every path that reads through the datamodel, including the related
interfaces FAB builds for dropdowns (``get_related_interface`` uses ``self.__class__``).
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import Query

from app.security import scope


class ScopedInterface(SQLAInterface):
    def apply_filters(self, query: Query, filters: Any) -> Query:
        query = super().apply_filters(query, filters)
        clause = scope.scope_clause(self.obj, scope.current_viewer(self.session))
        return query if clause is None else query.filter(clause)

    def get_related_obj(self, col_name: str, value: Any) -> Any:
        related = self.get_related_interface(col_name)
        return related.get(value)
