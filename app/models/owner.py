"""How a row names its owning pegawai for the row-level scope (app.security.scope) when it
hangs off an SKP: through its foreign key, as a set of keys the database can look up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Via:
    """A row owned through a parent: its ``key`` (a foreign key) is among ``ids`` (a select
    of the parents' keys) whose ``owner`` (a column of that select) is the owning pegawai.
    Asked as ``key IN (ids WHERE <owner in scope>)``, the database reads the few parents in
    scope by index; asked of a correlated owner per row, it reads every row of the table."""

    key: Any
    ids: Any
    owner: Any
