"""Reference data every install needs: pangkat/golongan, the top of the Dumai unit tree and
the periods of the current year. Idempotent: running it again adds only what is missing."""

from __future__ import annotations

import csv
import os
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import periode as rules
from app.models.master import Pangkat, Periode, UnitKerja
from app.services import org, periode

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def read_csv(name: str) -> list[dict[str, str]]:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_pangkat(session: Session) -> None:
    existing = {(p.kode, p.jenis_asn) for p in session.execute(select(Pangkat)).scalars()}
    for urutan, row in enumerate(read_csv("pangkat.csv"), start=1):
        jenis = row["jenis_asn"].lower()
        if (row["kode"], jenis) not in existing:
            session.add(Pangkat(kode=row["kode"], nama=row["nama"], jenis_asn=jenis, urutan=urutan))


def seed_unit_kerja(session: Session) -> dict[str, UnitKerja]:
    units = {u.kode: u for u in session.execute(select(UnitKerja)).scalars()}
    for row in read_csv("unit_kerja_dumai.csv"):
        if row["kode"] in units:
            continue
        parent = units.get(row["induk"]) if row["induk"] else None
        unit = UnitKerja(kode=row["kode"], nama=row["nama"], jenis=row["jenis"], parent=parent)
        session.add(unit)
        session.flush()
        org.refresh_unit_paths(session, unit)
        units[unit.kode] = unit
    return units


def seed_periode(session: Session, tahun: int, aktif: bool) -> None:
    annual = session.execute(
        select(Periode).where(Periode.tahun == tahun, Periode.jenis == rules.ANNUAL)
    ).scalar()
    if annual is None:
        annual = Periode(
            tahun=tahun,
            jenis=rules.ANNUAL,
            tanggal_mulai=date(tahun, 1, 1),
            tanggal_selesai=date(tahun, 12, 31),
            aktif=aktif,
            ritme=rules.DEFAULT_RITME,
        )
        session.add(annual)
    periode.follow_ritme(session, annual)


def seed_reference_data(session: Session, today: date | None = None) -> dict[str, UnitKerja]:
    today = today or date.today()
    seed_pangkat(session)
    units = seed_unit_kerja(session)
    seed_periode(session, today.year - 1, aktif=False)
    seed_periode(session, today.year, aktif=True)
    session.flush()
    return units
