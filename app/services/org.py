"""Use cases of the org chart: keeping unit paths, validating pegawai, deriving roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain import nip as nip_rules
from app.domain import org, tanggal
from app.domain.enums import N_
from app.domain.errors import DomainError, OrgChartError
from app.models.master import PATH_SEPARATOR, Jabatan, Pangkat, Pegawai, UnitKerja
from app.security import roles
from app.security.scope import is_opd_path


def refresh_unit_paths(session: Session, unit: UnitKerja) -> None:
    """Recompute the path and full name of a unit and of its whole subtree."""
    session.flush()
    parent = session.get(UnitKerja, unit.parent_id) if unit.parent_id else None
    old_path = unit.path
    if parent is not None:
        org.check_unit_parent(old_path, parent.path)
    unit.path = org.unit_path(parent.path if parent else "", unit.id)
    unit.nama_lengkap = f"{parent.nama_lengkap}{PATH_SEPARATOR}{unit.nama}" if parent else unit.nama
    if not old_path or old_path == unit.path:
        old_path = unit.path
    descendants = session.execute(
        select(UnitKerja)
        .where(UnitKerja.path.startswith(old_path, autoescape=True), UnitKerja.id != unit.id)
        .order_by(func.length(UnitKerja.path))
    ).scalars()
    by_id = {unit.id: unit}
    for child in descendants:
        above = by_id.get(child.parent_id)
        if above is None:
            continue
        child.path = org.unit_path(above.path, child.id)
        child.nama_lengkap = f"{above.nama_lengkap}{PATH_SEPARATOR}{child.nama}"
        by_id[child.id] = child


def check_unit_parent(session: Session, unit_id: int | None, parent_id: int | None) -> None:
    if unit_id is None or parent_id is None:
        return
    if unit_id == parent_id:
        raise OrgChartError(
            N_("A unit cannot be placed under itself or one of its sub-units."), field="parent_id"
        )
    unit = session.get(UnitKerja, unit_id)
    parent = session.get(UnitKerja, parent_id)
    if unit is not None and parent is not None:
        org.check_unit_parent(unit.path, parent.path)


def atasan_lookup(session: Session):  # noqa: ANN201 - a callable for app.domain.org
    def atasan_of(pegawai_id: int) -> int | None:
        return session.execute(select(Pegawai.atasan_id).where(Pegawai.id == pegawai_id)).scalar()

    return atasan_of


REFERENCES = {
    "unit_kerja_id": UnitKerja,
    "pangkat_id": Pangkat,
    "jabatan_id": Jabatan,
    "atasan_id": Pegawai,
    "pejabat_penilai_id": Pegawai,
    "parent_id": UnitKerja,
    "kepala_id": Pegawai,
}


def check_references(session: Session, data: dict[str, Any]) -> None:
    """Every id given for a related record must exist."""
    for key, model in REFERENCES.items():
        value = data.get(key)
        if value is not None and session.get(model, value) is None:
            raise DomainError(
                N_("The referenced record does not exist: %(column)s = %(id)s."),
                field=key,
                column=key,
                id=value,
            )


def validate_pegawai(session: Session, data: dict[str, Any], pegawai_id: int | None) -> None:
    """Every rule of a pegawai record; raise DomainError with the first one broken."""
    with session.no_autoflush:
        _validate_pegawai(session, data, pegawai_id)


def _validate_pegawai(session: Session, data: dict[str, Any], pegawai_id: int | None) -> None:
    check_references(session, data)
    parsed = nip_rules.parse_nip(data.get("nip") or "", data.get("jenis_asn") or "pns")
    nip_rules.check_consistency(parsed, data.get("tanggal_lahir"), data.get("jenis_kelamin"))
    tanggal.check_tmt(data.get("tmt_pangkat"), "tmt_pangkat", dt.date.today())
    duplicate = select(Pegawai.id).where(Pegawai.nip == parsed.value)
    if pegawai_id is not None:
        duplicate = duplicate.where(Pegawai.id != pegawai_id)
    if session.execute(duplicate).first():
        raise DomainError(N_("NIP %(nip)s is already registered."), field="nip", nip=parsed.value)
    org.check_atasan(pegawai_id, data.get("atasan_id"), atasan_lookup(session))
    _check_penilai_non_asn(data)
    if pegawai_id is not None and data.get("pejabat_penilai_id") == pegawai_id:
        raise OrgChartError(
            N_("An employee cannot be their own appraising official."), field="pejabat_penilai_id"
        )


def _check_penilai_non_asn(data: dict[str, Any]) -> None:
    """A non-ASN pejabat penilai (name and position, both) stands at the top of the chain:
    only for a pegawai who has neither an atasan nor a pejabat penilai in the app."""
    nama, jabatan = data.get("penilai_non_asn_nama"), data.get("penilai_non_asn_jabatan")
    if not nama and not jabatan:
        return
    if not nama or not jabatan:
        raise DomainError(
            N_("Give both the name and the position of the non-ASN appraising official."),
            field="penilai_non_asn_jabatan" if nama else "penilai_non_asn_nama",
        )
    if data.get("atasan_id") or data.get("pejabat_penilai_id"):
        raise OrgChartError(
            N_(
                "A non-ASN appraising official is only for an employee without a supervisor "
                "or appraising official in the system."
            ),
            field="penilai_non_asn_nama",
        )


def pegawai_form_data(pegawai: Pegawai) -> dict[str, Any]:
    """The fields validate_pegawai reads, taken from a (possibly unsaved) model."""
    return {
        "nip": pegawai.nip,
        "jenis_asn": pegawai.jenis_asn,
        "tanggal_lahir": pegawai.tanggal_lahir,
        "jenis_kelamin": pegawai.jenis_kelamin,
        "tmt_pangkat": pegawai.tmt_pangkat,
        "atasan_id": pegawai.atasan.id if pegawai.atasan else pegawai.atasan_id,
        "pejabat_penilai_id": (
            pegawai.pejabat_penilai.id if pegawai.pejabat_penilai else pegawai.pejabat_penilai_id
        ),
        "unit_kerja_id": pegawai.unit_kerja.id if pegawai.unit_kerja else pegawai.unit_kerja_id,
        "pangkat_id": pegawai.pangkat.id if pegawai.pangkat else pegawai.pangkat_id,
        "jabatan_id": pegawai.jabatan.id if pegawai.jabatan else pegawai.jabatan_id,
        "penilai_non_asn_nama": pegawai.penilai_non_asn_nama,
        "penilai_non_asn_jabatan": pegawai.penilai_non_asn_jabatan,
    }


def org_roles_of(session: Session, pegawai_ids: Iterable[int]) -> dict[int, set[str]]:
    """The roles each pegawai holds by their place in the org chart (DOMAIN.md, Actors)."""
    ids = list(pegawai_ids)
    result: dict[int, set[str]] = {pid: {roles.PEGAWAI} for pid in ids}
    if not ids:
        return result
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        supervisors = session.execute(
            select(Pegawai.atasan_id, Pegawai.pejabat_penilai_id).where(
                Pegawai.aktif.is_(True),
                or_(Pegawai.atasan_id.in_(chunk), Pegawai.pejabat_penilai_id.in_(chunk)),
            )
        )
        for atasan_id, penilai_id in supervisors:
            for pid in (atasan_id, penilai_id):
                if pid in result:
                    result[pid].add(roles.ATASAN)
        heads = session.execute(
            select(UnitKerja.kepala_id, UnitKerja.path).where(UnitKerja.kepala_id.in_(chunk))
        )
        for kepala_id, path in heads:
            if is_opd_path(path):
                result[kepala_id].add(roles.PIMPINAN_OPD)
    return result


def sync_roles(session: Session, pegawai_ids: Iterable[int] | None = None) -> int:
    """Give each pegawai's account exactly the org-chart roles they hold now.

    Roles outside the org chart (admin_bkpsdm, custom roles) are left as they are.
    Returns how many accounts changed.
    """
    from flask_appbuilder.security.sqla.models import Role, User

    query = select(Pegawai.id, Pegawai.user_id).where(Pegawai.user_id.is_not(None))
    if pegawai_ids is not None:
        query = query.where(Pegawai.id.in_(list(pegawai_ids)))
    accounts = dict(session.execute(query).all())
    wanted = org_roles_of(session, accounts)
    role_by_name = {
        role.name: role
        for role in session.execute(
            select(Role).where(Role.name.in_(roles.ORG_CHART_ROLES))
        ).scalars()
    }
    changed = 0
    users = session.execute(select(User).where(User.id.in_(list(accounts.values())))).scalars()
    users_by_id = {user.id: user for user in users}
    for pegawai_id, user_id in accounts.items():
        user = users_by_id[user_id]
        keep = [role for role in user.roles if role.name not in roles.ORG_CHART_ROLES]
        org_roles = [
            role_by_name[name] for name in sorted(wanted[pegawai_id]) if name in role_by_name
        ]
        if {r.name for r in user.roles} != {r.name for r in keep + org_roles}:
            user.roles = keep + org_roles
            changed += 1
    return changed
