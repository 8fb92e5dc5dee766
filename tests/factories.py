"""Factories for tests that need people of their own (the demo DB is shared by the run)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.models.master import Jabatan, Pegawai

PASSWORD = "dumai2026"
# Import this module as tests.factories only: a second copy would restart the count.
_serial = itertools.count(1)


def unique_nip(gender: str = "1") -> str:
    """A valid PNS NIP no demo pegawai has (demo birth years stop before 2001)."""
    n = next(_serial)
    lahir = date(2001, 1, 1) + timedelta(days=n % 1500)
    return f"{lahir:%Y%m%d}2023{1 + n % 12:02d}{gender}{n % 999 + 1:03d}"


@dataclass(frozen=True)
class Chain:
    """boss (JPT, cascades from a penugasan) → atasan → staff, colleague; NIPs = usernames."""

    boss: str
    atasan: str
    staff: str
    colleague: str


def jabatan(session: Session, nama: str, jenis: str) -> Jabatan:
    """The jabatan of that name and jenis, added to ``session`` when there is none yet."""
    from app.models.master import Jabatan

    found = session.execute(
        select(Jabatan).where(Jabatan.nama == nama, Jabatan.jenis == jenis)
    ).scalar()
    if found is None:
        found = Jabatan(nama=nama, jenis=jenis)
        session.add(found)
    return found


def person(
    session: Session,
    nama: str,
    unit_id: int,
    *,
    jabatan: Jabatan | None = None,
    atasan_id: int | None = None,
    aktif: bool = True,
    account: bool = True,
    **values: object,
) -> Pegawai:
    """A PNS pegawai of ``unit_id`` with a NIP from unique_nip(), added to ``session`` and
    flushed (the caller commits). With ``account``: a login named by the NIP, password
    PASSWORD, role pegawai. ``values``: any other Pegawai column (gelar_belakang, …)."""
    from flask import current_app

    from app.models.master import Pegawai
    from app.security import roles

    nip = unique_nip()
    user_id = None
    if account:
        sm = current_app.appbuilder.sm
        user = sm.add_user(
            username=nip,
            first_name=nama,
            last_name="Uji",
            email=f"{nip}@test.invalid",
            role=[sm.find_role(roles.PEGAWAI)],
            password=PASSWORD,
            commit=False,
        )
        user_id = user.id
    pegawai = Pegawai(
        nip=nip,
        nama=nama,
        jenis_asn="pns",
        unit_kerja_id=unit_id,
        jabatan=jabatan,
        atasan_id=atasan_id,
        user_id=user_id,
        aktif=aktif,
        **values,
    )
    session.add(pegawai)
    session.flush()
    return pegawai


def new_chain(app, opd_kode: str = "BAPPEDA") -> Chain:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import UnitKerja
    from app.services import org

    with app.app_context():
        session = db.session
        opd = session.execute(select(UnitKerja).where(UnitKerja.kode == opd_kode)).scalar_one()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()
        unit = UnitKerja(
            kode=f"T-{uuid.uuid4().hex[:12]}", nama="Bidang Uji", jenis="bidang", parent_id=opd.id
        )
        session.add(unit)
        session.flush()
        org.refresh_unit_paths(session, unit)
        kepala = jabatan(session, "Kepala Badan Uji", "jpt")
        kabid = jabatan(session, "Kepala Bidang Uji", "administrator")
        analis = jabatan(session, "Analis Uji", "pelaksana")
        boss = person(session, "Kepala Uji", unit.id, jabatan=kepala, atasan_id=sekda)
        atasan = person(session, "Kabid Uji", unit.id, jabatan=kabid, atasan_id=boss.id)
        staff = person(session, "Staf Uji", unit.id, jabatan=analis, atasan_id=atasan.id)
        colleague = person(session, "Rekan Uji", unit.id, jabatan=analis, atasan_id=atasan.id)
        org.sync_roles(session, [boss.id, atasan.id, staff.id, colleague.id])
        session.commit()
        return Chain(boss.nip, atasan.nip, staff.nip, colleague.nip)


def viewer_of(app, nip: str):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.master import Pegawai
    from app.security.scope import Viewer

    with app.app_context():
        pegawai = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one()
        return Viewer(user_id=pegawai.user_id, pegawai_id=pegawai.id)


# A complete manual indikator (the JPT form's required fields), for a JPT's indikator.
MANUAL_JPT = {
    "definisi": "Jumlah dokumen perencanaan yang ditetapkan",
    "formula": "Jumlah dokumen ditetapkan",
    "sumber_data": "Bagian Perencanaan",
    "periode_pelaporan": "triwulan",
}


def skp_with_rhk(
    app,
    nip: str,
    uraian: str,
    intervensi_id: int | None = None,  # noqa: ANN001
    penugasan_dari: str | None = None,
    submit: bool = False,
) -> tuple[int, int]:
    """The active-year SKP of ``nip`` with one RHK and one indikator, made through the
    services (the same rules as the pages and the API); returns (skp id, rhk id). A JPT's
    (the chain's boss) RHK serves the proses bisnis perspektif and its indikator has a
    manual indikator (MANUAL_JPT), as the JPT form requires. Given neither an intervensi nor
    a penugasan, the RHK intervenes the atasan's first RHK when the atasan's SKP is there to
    link to (the RHK form asks for that link, app.services.skp.check_linked)."""
    from app.extensions import db
    from app.services import skp as skp_service

    viewer = viewer_of(app, nip)
    with app.test_request_context():
        session = db.session
        periode = skp_service.active_year(session)
        skp = skp_service.latest_skp(session, viewer.pegawai_id, periode.id)
        if skp is None:
            skp = skp_service.create_skp(session, viewer, periode.id)
        jpt = skp.model == "jpt"
        if intervensi_id is None and penugasan_dari is None:
            offered = skp_service.intervensi_options(session, skp)
            intervensi_id = offered[0].id if offered else None
        rhk = skp_service.add_rhk(
            session,
            skp.id,
            viewer,
            "utama",
            uraian,
            intervensi_id,
            penugasan_dari,
            "proses_bisnis" if jpt else None,
        )
        skp_service.add_indikator(
            session,
            rhk.id,
            viewer,
            "kuantitas",
            "Jumlah",
            "12",
            "dokumen",
            manual_indikator=MANUAL_JPT if jpt else None,
        )
        if submit:
            skp_service.submit(session, skp.id, viewer)
        session.commit()
        return skp.id, rhk.id


def chain_with_submitted_skps(app) -> tuple[Chain, int]:  # noqa: ANN001
    """A fresh chain whose boss and atasan have submitted SKPs; returns it with the
    atasan's RHK id (what the staff cascade from)."""
    people = new_chain(app)
    _, boss_rhk = skp_with_rhk(
        app, people.boss, "Perencanaan daerah", penugasan_dari="Wali Kota", submit=True
    )
    _, atasan_rhk = skp_with_rhk(
        app, people.atasan, "Layanan bidang meningkat", intervensi_id=boss_rhk, submit=True
    )
    return people, atasan_rhk


def approved_evaluations(app) -> tuple[Chain, dict[str, int]]:  # noqa: ANN001
    """A fresh chain whose staff has an approved SKP; returns it with the staff's penilaian
    ids by periode jenis (tw1…tw4, tahunan)."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(
        app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        rows = db.session.execute(
            select(Periode.jenis, Penilaian.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id)
        ).all()
    return people, dict(rows)


def fill_realisasi(app, penilaian_id: int, nilai: str = "10") -> None:  # noqa: ANN001
    """A realisasi for every indikator of the evaluation's SKP and periode."""
    from decimal import Decimal

    from app.extensions import db
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian

    with app.app_context():
        penilaian = db.session.get(Penilaian, penilaian_id)
        for rhk in penilaian.skp.rencana_hasil_kerja:
            for indikator in rhk.indikator:
                db.session.add(
                    Realisasi(
                        indikator_kinerja_id=indikator.id,
                        periode_id=penilaian.periode_id,
                        nilai=Decimal(nilai),
                    )
                )
        db.session.commit()


def crowd(app, atasan_nip: str, count: int, nama: str = "Zz Uji Skala") -> list[str]:  # noqa: ANN001
    """``count`` more staff of ``atasan_nip``, each with an account, a jabatan of their own,
    a submitted SKP and a submitted evaluation waiting for that atasan, in new units below the
    atasan's (ten to a unit): a province's worth of rows for pages that must not grow with it.
    Named to sort after every demo pegawai; returns their NIPs."""
    from datetime import datetime

    from flask_appbuilder.security.sqla.models import User
    from werkzeug.security import generate_password_hash

    from app import audit
    from app.extensions import db
    from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp
    from app.security import roles
    from app.services import org

    with app.app_context(), audit.attributed_to("tests:crowd"):
        session = db.session
        atasan = session.execute(select(Pegawai).where(Pegawai.nip == atasan_nip)).scalar_one()
        year = session.execute(
            select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        period = (
            session.execute(
                select(Periode)
                .where(Periode.tahun == year.tahun, Periode.jenis != "tahunan")
                .order_by(Periode.tanggal_mulai)
            )
            .scalars()
            .first()
        )
        role = app.appbuilder.sm.find_role(roles.PEGAWAI)
        password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        now = datetime(year.tahun, 1, 15, 8, 0)
        nips = []
        unit = None
        for n in range(count):
            if n % 10 == 0:
                unit = UnitKerja(
                    kode=f"T-{uuid.uuid4().hex[:12]}",
                    nama=f"{nama} Unit {n // 10:03d}",
                    jenis="seksi",
                    parent_id=atasan.unit_kerja_id,
                )
                session.add(unit)
                session.flush()
                org.refresh_unit_paths(session, unit)
            nip = unique_nip()
            user = User(
                first_name=f"{nama} {n:03d}",
                last_name="Uji",
                username=nip,
                email=f"{nip}@test.invalid",
                active=True,
                password=password,
                roles=[role],
            )
            pegawai = Pegawai(
                nip=nip,
                nama=f"{nama} {n:03d}",
                jenis_asn="pns",
                unit_kerja_id=unit.id,
                jabatan=Jabatan(nama=f"{nama} Analis {nip}", jenis="pelaksana"),
                atasan_id=atasan.id,
                user=user,
                aktif=True,
            )
            skp = Skp(
                pegawai=pegawai,
                periode_id=year.id,
                status="diajukan",
                penilai_id=atasan.id,
                diajukan_pada=now,
            )
            session.add_all([pegawai, skp])
            session.add(
                Penilaian(
                    skp=skp,
                    periode_id=period.id,
                    status="diajukan",
                    penilai_id=atasan.id,
                    diajukan_pada=now,
                )
            )
            nips.append(nip)
        session.commit()
        return nips


@dataclass(frozen=True)
class Opd:
    """A fresh OPD at the root: its head (pimpinan, reporting to the Sekda), a bidang with an
    atasan and ``staff`` pegawai; the periode ids of the active year by jenis."""

    id: int
    bidang_id: int
    tahunan: int
    tw1: int
    pimpinan: str
    atasan: str
    staff: list[str]
    staff_ids: list[int]


def new_opd(app, staff: int = 4, nama: str = "Kurva") -> Opd:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Periode, UnitKerja
    from app.services import org

    with app.app_context():
        session = db.session
        root_id = session.execute(
            select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))
        ).scalar_one()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()
        n = next(_serial)
        kode = f"{nama.upper()}-{n}"
        opd = UnitKerja(kode=kode, nama=f"Dinas Uji {nama} {n}", jenis="dinas")
        opd.parent_id = root_id
        session.add(opd)
        session.flush()
        org.refresh_unit_paths(session, opd)
        bidang = UnitKerja(kode=f"{kode}-B", nama=f"Bidang {nama}", jenis="bidang")
        bidang.parent_id = opd.id
        session.add(bidang)
        session.flush()
        org.refresh_unit_paths(session, bidang)

        kepala = jabatan(session, "Kepala Dinas Uji", "jpt")
        kabid = jabatan(session, "Kepala Bidang Uji", "administrator")
        analis = jabatan(session, "Analis Uji", "pelaksana")
        head = person(session, f"Kepala {nama}", opd.id, jabatan=kepala, atasan_id=sekda)
        opd.kepala_id = head.id
        atasan = person(session, f"Kabid {nama}", bidang.id, jabatan=kabid, atasan_id=head.id)
        members = [
            person(session, f"Staf {nama} {i}", bidang.id, jabatan=analis, atasan_id=atasan.id)
            for i in range(staff)
        ]
        org.sync_roles(session, [head.id, atasan.id] + [p.id for p in members])
        tahun = session.execute(
            select(Periode.tahun).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        periods = dict(
            session.execute(select(Periode.jenis, Periode.id).where(Periode.tahun == tahun)).all()
        )
        session.commit()
        return Opd(
            id=opd.id,
            bidang_id=bidang.id,
            tahunan=periods["tahunan"],
            tw1=periods["tw1"],
            pimpinan=head.nip,
            atasan=atasan.nip,
            staff=[p.nip for p in members],
            staff_ids=[p.id for p in members],
        )


def new_session():  # noqa: ANN201
    """A session of the app's own class beside ``db.session`` (another tab, another worker),
    with the app's hooks — the audit trail, the maintained counts: a plain SQLAlchemy
    Session writes as the app never does and leaves the counts behind. In an app context."""
    from app.extensions import db

    return db.session.session_factory()
