"""Demo SKPs and evaluations for the demo organisation: every SKP state and every
evaluation state occurs, cascaded down the real atasan chain. Bulk Core inserts, so that
100,000 pegawai stay a matter of a minute; the audit trail gets one summary row per table.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.audit import record_bulk
from app.bulk_load import advance_id_sequences, bulk_insert
from app.domain import enums, skp_form
from app.domain.scoring import predikat
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.monitoring import Realisasi
from app.models.penilaian import Penilaian, PenilaianRiwayat
from app.models.skp import IndikatorKinerja, PerilakuKerja, RencanaHasilKerja, Skp, SkpRiwayat

SEED = 3112026
# Share of staff SKPs in each state, cascading permitting (an SKP can only be submitted
# once the atasan's is).
STAFF_STATES = (
    ("disetujui", 0.55),
    ("diajukan", 0.15),
    ("dikembalikan", 0.08),
    ("draft", 0.12),
    (None, 0.10),
)
# Atasan mostly plan early: their staff cannot submit before them.
LEADER_STATES = (("disetujui", 0.85), ("diajukan", 0.10), ("draft", 0.05))
RHK_TEMPLATES = (
    "Terlaksananya {x} sesuai standar pelayanan",
    "Tersusunnya laporan {x} tepat waktu",
    "Meningkatnya kualitas {x}",
    "Terkelolanya administrasi {x}",
)
TOPICS = (
    "pelayanan publik",
    "perencanaan program",
    "keuangan",
    "kepegawaian",
    "arsip",
    "data dan informasi",
    "pengawasan",
    "kegiatan bidang",
)
INDIKATOR = (
    ("kuantitas", "Jumlah dokumen yang diselesaikan", 12, "dokumen"),
    ("kualitas", "Persentase dokumen sesuai standar", 100, "%"),
    ("waktu", "Waktu penyelesaian", 12, "bulan"),
)
RATINGS = ("di_atas", "sesuai", "sesuai", "sesuai", "di_bawah")


@dataclass
class Ids:
    """Explicit ids for bulk inserts, continuing after what the tables already hold."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]


def _now(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def load_demo_performance(session: Session, today: dt.date) -> dict[str, int]:
    """SKPs for the active year with RHK, indikator, history, and evaluations with
    realisasi and ratings for the quarters that have ended. Returns row counts per table."""
    rng = random.Random(SEED)
    year = session.execute(
        select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
    ).scalar_one()
    periods = (
        session.execute(
            select(Periode)
            .where(Periode.tahun == year.tahun)
            .order_by(Periode.tanggal_mulai, Periode.id)
        )
        .scalars()
        .all()
    )
    people = session.execute(
        select(Pegawai.id, Pegawai.penilai_id, Jabatan.jenis)
        .outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .where(Pegawai.aktif.is_(True))
        .order_by(Pegawai.id)
    ).all()
    tables: dict[str, Table] = {
        model.__tablename__: model.__table__
        for model in (
            Skp,
            RencanaHasilKerja,
            IndikatorKinerja,
            PerilakuKerja,
            SkpRiwayat,
            Penilaian,
            PenilaianRiwayat,
            Realisasi,
        )
    }
    ids = Ids(
        {
            name: session.execute(select(func.max(t.c.id))).scalar() or 0
            for name, t in tables.items()
        }
    )
    rows: dict[str, list[dict]] = defaultdict(list)

    children: dict[int | None, list[tuple[int, str | None]]] = defaultdict(list)
    for pegawai_id, penilai_id, jenis in people:
        children[penilai_id].append((pegawai_id, jenis))
    known = {pegawai_id for pegawai_id, _, _ in people}
    roots = [p for key, group in children.items() if key is None or key not in known for p in group]

    skp_status: dict[int, str] = {}
    rhk_of: dict[int, list[int]] = {}
    # A level of the chart at a time (an atasan's RHK before the staff's that cascade from
    # them), each level in a random order: people of every OPD write at the same time, so
    # one OPD's rows are not bunched at the end of a table as one level after another of
    # the tree would leave them (a list read newest first would find none of them there).
    level = [(pegawai_id, jenis, None) for pegawai_id, jenis in roots]
    while level:
        rng.shuffle(level)
        below: list[tuple[int, str | None, int | None]] = []
        for pegawai_id, jenis, penilai_id in level:
            status = _choose_status(rng, jenis, penilai_id, skp_status, bool(children[pegawai_id]))
            if status is not None:
                skp_status[pegawai_id] = status
                rhk_of[pegawai_id] = _skp_rows(
                    rng,
                    ids,
                    rows,
                    pegawai_id,
                    penilai_id,
                    status,
                    year,
                    today,
                    rhk_of.get(penilai_id, []),
                    periods,
                    skp_form.skp_model(jenis),
                )
            below.extend(
                (child, child_jenis, pegawai_id) for child, child_jenis in children[pegawai_id]
            )
        level = below

    for name, table in tables.items():
        bulk_insert(session, table, rows[name])
        if rows[name]:
            record_bulk(session, name, len(rows[name]))
    advance_id_sequences(session, *tables.values())
    return {name: len(rows[name]) for name in tables}


def _choose_status(
    rng: random.Random,
    jenis: str | None,
    penilai_id: int | None,
    skp_status: dict[int, str],
    leads: bool,
) -> str | None:
    if penilai_id is None or jenis == "jpt":
        return "disetujui"
    states, weights = zip(*(LEADER_STATES if leads else STAFF_STATES), strict=True)
    status = rng.choices(states, weights)[0]
    atasan_ready = skp_status.get(penilai_id) in ("diajukan", "disetujui")
    if status in ("disetujui", "diajukan", "dikembalikan") and not atasan_ready:
        return "draft"
    return status


def _skp_rows(
    rng: random.Random,
    ids: Ids,
    rows: dict[str, list[dict]],
    pegawai_id: int,
    penilai_id: int | None,
    status: str,
    year: Periode,
    today: dt.date,
    atasan_rhk: list[int],
    periods: list[Periode],
    model: str,
) -> list[int]:
    skp_id = ids.take("skp")
    jpt = model == skp_form.JPT
    submitted = _now(dt.date(year.tahun, 1, rng.randint(5, 25)))
    approved = submitted + dt.timedelta(days=rng.randint(1, 10))
    rows["skp"].append(
        {
            "id": skp_id,
            "pegawai_id": pegawai_id,
            "periode_id": year.id,
            "versi": 1,
            "revisi_dari_id": None,
            "pendekatan": "kuantitatif",
            "model": model,
            "status": status,
            "penilai_id": penilai_id,
            "dukungan_sumber_daya": "Anggaran DPA dan sarana kantor",
            "skema_pertanggungjawaban": "Laporan bulanan kepada atasan langsung",
            "konsekuensi": "Sesuai PP 94/2021 tentang Disiplin PNS",
            "snapshot": None,
            "diajukan_pada": submitted if status != "draft" else None,
            "disetujui_pada": approved if status == "disetujui" else None,
            "diubah_pada": submitted,
            "version_id": 1,
        }
    )
    history = {
        "diajukan": ["submit"],
        "dikembalikan": ["submit", "return"],
        "disetujui": ["submit", "approve"],
    }.get(status, [])
    state = "draft"
    for step, action in enumerate(history):
        new = {"submit": "diajukan", "return": "dikembalikan", "approve": "disetujui"}[action]
        rows["skp_riwayat"].append(
            {
                "id": ids.take("skp_riwayat"),
                "skp_id": skp_id,
                "aksi": action,
                "dari": state,
                "ke": new,
                "oleh_id": pegawai_id if action == "submit" else penilai_id,
                "waktu": submitted + dt.timedelta(days=step),
                "catatan": "Lengkapi indikator kualitas" if action == "return" else None,
            }
        )
        state = new
    rhk_ids, indikator_ids = [], []
    for urutan in range(rng.randint(2, 3)):
        rhk_id = ids.take("rencana_hasil_kerja")
        rhk_ids.append(rhk_id)
        rows["rencana_hasil_kerja"].append(
            {
                "id": rhk_id,
                "skp_id": skp_id,
                "jenis": "utama" if urutan < 2 else "tambahan",
                "uraian": rng.choice(RHK_TEMPLATES).format(x=rng.choice(TOPICS)),
                "intervensi_id": rng.choice(atasan_rhk) if atasan_rhk else None,
                "penugasan_dari": None if atasan_rhk else "Wali Kota Dumai",
                # The JPT form: each RHK under a perspektif (in turn, without drawing from rng,
                # so that the non-JPT rows stay what they were).
                "perspektif": list(enums.PERSPEKTIF)[urutan % 4] if jpt else None,
                "urutan": urutan,
            }
        )
        for aspek, uraian, target, satuan in rng.sample(INDIKATOR, rng.randint(1, 2)):
            indikator_id = ids.take("indikator_kinerja")
            indikator_ids.append((indikator_id, target))
            rows["indikator_kinerja"].append(
                {
                    "id": indikator_id,
                    "rencana_hasil_kerja_id": rhk_id,
                    "aspek": aspek,
                    "uraian": uraian,
                    "target": Decimal(target),
                    "target_uraian": None,
                    "satuan": satuan,
                    "manual_indikator": _manual(uraian, satuan) if jpt else None,
                }
            )
    if status == "disetujui":
        _evaluations(rng, ids, rows, skp_id, pegawai_id, penilai_id, indikator_ids, periods, today)
    return rhk_ids


def _manual(uraian: str, satuan: str) -> dict[str, str]:
    """A JPT indikator's manual indikator, complete (app.domain.skp_form.MANUAL_WAJIB)."""
    return {
        "definisi": f"{uraian} dalam satu tahun anggaran",
        "tujuan": "Mengukur capaian sasaran Perjanjian Kinerja",
        "formula": f"Jumlah capaian ({satuan}) pada periode pelaporan",
        "jenis": "outcome",
        "unit_penanggung_jawab": "Sekretariat",
        "unit_penyedia_data": "Subbagian Perencanaan",
        "sumber_data": "Laporan kinerja perangkat daerah",
        "periode_pelaporan": "triwulan",
    }


def _evaluations(
    rng: random.Random,
    ids: Ids,
    rows: dict[str, list[dict]],
    skp_id: int,
    pegawai_id: int,
    penilai_id: int | None,
    indikator_ids: list[tuple[int, int]],
    periods: list[Periode],
    today: dt.date,
) -> None:
    """tw1…tw4 and tahunan; quarters that ended are realised and, mostly, rated."""
    for periode in periods:
        ended = periode.jenis != "tahunan" and periode.tanggal_selesai < today
        status = "belum_dinilai"
        if ended:
            status = rng.choices(
                ("diterima", "dinilai", "diajukan", "keberatan", "final"), (70, 10, 12, 4, 4)
            )[0]
        hasil = perilaku = hasil_predikat = None
        if status not in ("belum_dinilai", "diajukan"):
            hasil, perilaku = rng.choice(RATINGS), rng.choice(RATINGS)
            hasil_predikat = predikat(hasil, perilaku)
        closed = _now(periode.tanggal_selesai) + dt.timedelta(days=5)
        penilaian_id = ids.take("penilaian")
        rows["penilaian"].append(
            {
                "id": penilaian_id,
                "skp_id": skp_id,
                "periode_id": periode.id,
                "status": status,
                "rating_hasil_kerja": hasil,
                "rating_perilaku_kerja": perilaku,
                "predikat": hasil_predikat,
                "umpan_balik": "Pertahankan kinerja dan tingkatkan ketepatan waktu"
                if hasil
                else None,
                "penilai_id": penilai_id,
                "diajukan_pada": closed if ended else None,
                "dinilai_pada": closed + dt.timedelta(days=3) if hasil else None,
                "ditanggapi_pada": closed + dt.timedelta(days=6)
                if status in ("diterima", "keberatan", "final")
                else None,
                "keberatan_alasan": "Capaian target sudah 100 %, mohon ditinjau"
                if status in ("keberatan", "final")
                else None,
                "diputus_oleh_id": None,
                "diputus_pada": None,
                "keputusan_catatan": "Keberatan dipertimbangkan" if status == "final" else None,
                "diubah_pada": closed,
                "version_id": 1,
            }
        )
        if ended:
            for indikator_id, target in indikator_ids:
                rows["realisasi"].append(
                    {
                        "id": ids.take("realisasi"),
                        "indikator_kinerja_id": indikator_id,
                        "periode_id": periode.id,
                        "nilai": Decimal(round(target * rng.uniform(0.2, 0.3), 2)),
                        "catatan": None,
                        "diubah_pada": closed,
                        "version_id": 1,
                    }
                )
            steps = {
                "diajukan": ["submit"],
                "dinilai": ["submit", "rate"],
                "diterima": ["submit", "rate", "accept"],
                "keberatan": ["submit", "rate", "object"],
                "final": ["submit", "rate", "object", "decide"],
            }[status]
            state = "belum_dinilai"
            for step, action in enumerate(steps):
                new = {
                    "submit": "diajukan",
                    "rate": "dinilai",
                    "accept": "diterima",
                    "object": "keberatan",
                    "decide": "final",
                }[action]
                actor = pegawai_id if action in ("submit", "accept", "object") else penilai_id
                rows["penilaian_riwayat"].append(
                    {
                        "id": ids.take("penilaian_riwayat"),
                        "penilaian_id": penilaian_id,
                        "aksi": action,
                        "dari": state,
                        "ke": new,
                        "oleh_id": actor,
                        "waktu": closed + dt.timedelta(days=3 * step),
                        "catatan": None,
                        "rating": {"predikat": hasil_predikat}
                        if action in ("rate", "decide")
                        else None,
                    }
                )
                state = new


def load_demo_mutasi(session: Session, today: dt.date) -> int | None:
    """One pegawai moved in the middle of the active year, through the service BKPSDM uses
    (app.services.mutasi), so that a newcomer sees it on ``make run``: a staff member with
    an approved SKP moves, as of the start of the current quarter, to a bidang of another OPD
    — the old SKP closes with its evaluated quarters, a draft SKP of the new post waits for
    the new head of bidang. Returns the pegawai's id (None when the demo has no such pair)."""
    from flask_appbuilder.security.sqla.models import User

    from app.security.scope import Viewer
    from app.services import mutasi

    year = session.execute(
        select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
    ).scalar_one()
    tanggal = _start_of_quarter(min(max(today, year.tanggal_mulai), year.tanggal_selesai))
    mover = _staff_with_evaluations(session, year)
    if mover is None:
        return None
    target = _head_of_bidang_elsewhere(session, year, mover)
    if target is None:
        return None
    admin = session.execute(select(User.id).where(User.username == "admin")).scalar()
    mutasi.catat(
        session,
        Viewer(user_id=admin, is_admin=True),
        mover.id,
        tanggal,
        target.unit_kerja_id,
        mover.jabatan_id,
        target.id,
        "800/DEMO/BKPSDM/MUTASI",
        today=today,
    )
    return mover.id


def _start_of_quarter(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _staff_with_evaluations(session: Session, year: Periode) -> Pegawai | None:
    """The first staff member (heading no unit, no one reporting to them) with an approved
    SKP whose quarters, where any ended, hold evaluations."""
    reports = select(Pegawai.atasan_id).where(Pegawai.atasan_id.is_not(None))
    heads = select(UnitKerja.kepala_id).where(UnitKerja.kepala_id.is_not(None))
    evaluated = select(Penilaian.skp_id).where(Penilaian.status != "belum_dinilai")
    candidates = (
        select(Pegawai)
        .join(Skp, Skp.pegawai_id == Pegawai.id)
        .join(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .where(
            Skp.periode_id == year.id,
            Skp.status == "disetujui",
            Jabatan.jenis != "jpt",
            Pegawai.atasan_id.is_not(None),
            Pegawai.id.not_in(reports),
            Pegawai.id.not_in(heads),
        )
        .order_by(Skp.id.in_(evaluated).desc(), Pegawai.id)
        .limit(1)
    )
    return session.execute(candidates).scalar()


def _head_of_bidang_elsewhere(session: Session, year: Periode, mover: Pegawai) -> Pegawai | None:
    """The first head of a bidang of another OPD whose SKP is approved (so the new SKP can
    cascade from it)."""
    opd_of_mover = _opd_path(session, mover.unit_kerja_id)
    heads = session.execute(
        select(Pegawai, UnitKerja.path)
        .join(UnitKerja, UnitKerja.kepala_id == Pegawai.id)
        .join(Skp, Skp.pegawai_id == Pegawai.id)
        .where(
            UnitKerja.jenis == "bidang",
            Skp.periode_id == year.id,
            Skp.status == "disetujui",
            Pegawai.id != mover.atasan_id,
        )
        .order_by(Pegawai.id)
    ).all()
    return next((head for head, path in heads if not path.startswith(opd_of_mover)), None)


def _opd_path(session: Session, unit_id: int) -> str:
    """The path of the OPD that holds a unit ("/root/opd/")."""
    path = session.execute(select(UnitKerja.path).where(UnitKerja.id == unit_id)).scalar_one()
    return "/".join(path.split("/")[:3]) + "/"
