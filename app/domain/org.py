"""Rules of the org chart: who may be whose atasan."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.domain.enums import N_
from app.domain.errors import OrgChartError

MAX_CHAIN = 64  # deeper than any real chain of command; guards against corrupt data


def check_atasan(
    pegawai_id: int | None, atasan_id: int | None, atasan_of: Callable[[int], int | None]
) -> None:
    """Refuse self-supervision and cycles (A → B → … → A) in the atasan chain.

    ``atasan_of`` looks up the current atasan of a pegawai id.
    """
    if atasan_id is None or pegawai_id is None:
        return
    if atasan_id == pegawai_id:
        raise OrgChartError(N_("An employee cannot be their own supervisor."), field="atasan_id")
    seen = {pegawai_id}
    current: int | None = atasan_id
    for _ in range(MAX_CHAIN):
        if current is None:
            return
        if current in seen:
            raise OrgChartError(
                N_("This supervisor would create a cycle in the chain of command."),
                field="atasan_id",
            )
        seen.add(current)
        current = atasan_of(current)
    raise OrgChartError(N_("The chain of command is too deep."), field="atasan_id")


def is_opd_path(path: str) -> bool:
    """An OPD is a direct child of the root (Pemerintah Kota): path "/root/opd/"."""
    return path.count("/") == 3


def path_ids(path: str) -> list[int]:
    """The unit ids of a path, the top first ("/1/5/9/" → [1, 5, 9])."""
    return [int(part) for part in path.strip("/").split("/") if part]


def topmost(paths: Iterable[str]) -> list[str]:
    """The paths that lie under none of the others: their subtrees hold all of the rest."""
    tops: list[str] = []
    for path in sorted(set(paths)):  # a path's descendants sort right after it
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops


def opd_id_of(path: str) -> int | None:
    """The OPD holding a unit (the second id of its path); None for a unit at the top."""
    ids = path_ids(path)
    return ids[1] if len(ids) > 1 else None


def opd_path_of(path: str) -> str:
    """The path of the OPD holding a unit ("/root/opd/bidang/" → "/root/opd/")."""
    return "/".join(path.split("/")[:3]) + "/"


# How the names of a unit's path are joined in UnitKerja.nama_lengkap.
NAME_SEPARATOR = " › "


def unit_with_opd(nama: str, nama_lengkap: str | None) -> str:
    """A unit as lists show it: with its OPD ("Sekretariat — Dinas Kesehatan"), since 29 OPDs
    each have a Sekretariat; an OPD or the city itself by its own name."""
    parts = (nama_lengkap or "").split(NAME_SEPARATOR)
    if len(parts) <= 2 or parts[1] == nama:
        return nama
    return f"{nama} — {parts[1]}"


def unit_path(parent_path: str, unit_id: int) -> str:
    """The materialised path of a unit under a parent ("" for the root's parent)."""
    return f"{parent_path or '/'}{unit_id}/"


def check_unit_parent(unit_path_now: str, new_parent_path: str | None) -> None:
    """A unit cannot move under itself or one of its descendants."""
    if new_parent_path and unit_path_now and new_parent_path.startswith(unit_path_now):
        raise OrgChartError(
            N_("A unit cannot be placed under itself or one of its sub-units."),
            field="parent_id",
        )
