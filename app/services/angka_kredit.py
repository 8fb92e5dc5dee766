"""Angka kredit of a pegawai in a jabatan fungsional, from the settled annual predikat
(app.domain.angka_kredit): the one place that decides which jenjang a year counts in and for
how many months, for Kinerja Saya, the annual evaluation page and the ``angka_kredit`` report.

The year counts in the jenjang held on its last day (the post the annual evaluation rates),
for the months of the year spent in that jenjang according to the riwayat jabatan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.domain import angka_kredit as rules
from app.domain import workflow
from app.models.master import Jabatan, Pegawai
from app.models.penilaian import Penilaian
from app.models.riwayat_jabatan import RiwayatJabatan

ANNUAL = "tahunan"

Jenjang = tuple[str | None, str | None]  # (Jabatan.jenis, Jabatan.jenjang)
# Built once: an alias adapts its columns on first use (the dashboard asks on every visit).
_LAMA = aliased(Jabatan, name="jabatan_lama")
_BARU = aliased(Jabatan, name="jabatan_baru")


def moves_since(
    session: Session, pegawai_ids: Iterable[int] | Select, since: dt.date
) -> dict[int, list[rules.Move[Jenjang]]]:
    """Each pegawai's moves after ``since``, the posts keyed by jenjang, in one statement;
    ``pegawai_ids`` a list or a statement selecting them (a report's scope). Moves before
    ``since`` do not change which post was held from then on; later ones tell which was."""
    lama, baru = _LAMA, _BARU
    query = (
        select(
            RiwayatJabatan.pegawai_id,
            RiwayatJabatan.tanggal,
            lama.jenis.label("lama_jenis"),
            lama.jenjang.label("lama_jenjang"),
            baru.jenis.label("baru_jenis"),
            baru.jenjang.label("baru_jenjang"),
        )
        .outerjoin(lama, lama.id == RiwayatJabatan.jabatan_lama_id)
        .outerjoin(baru, baru.id == RiwayatJabatan.jabatan_id)
        .where(
            RiwayatJabatan.tanggal > since,
            RiwayatJabatan.pegawai_id.in_(
                pegawai_ids if isinstance(pegawai_ids, Select) else list(pegawai_ids)
            ),
        )
        .order_by(RiwayatJabatan.pegawai_id, RiwayatJabatan.tanggal, RiwayatJabatan.id)
    )
    moves: dict[int, list[rules.Move[Jenjang]]] = defaultdict(list)
    for row in session.execute(query):
        moves[row.pegawai_id].append(
            rules.Move(
                row.tanggal, (row.lama_jenis, row.lama_jenjang), (row.baru_jenis, row.baru_jenjang)
            )
        )
    return moves


def start_of(tahun: int) -> dt.date:
    """The day from which moves matter for ``tahun`` (a TMT of 1 January changes nothing)."""
    return dt.date(tahun, 1, 1)


def figures(
    tahun: int, predikat: str | None, current: Jenjang, moves: list[rules.Move[Jenjang]]
) -> rules.AngkaKredit | None:
    """The angka kredit of ``tahun`` for a pegawai now in ``current``, given their moves."""
    held = rules.held_on(dt.date(tahun, 12, 31), current, moves)
    bulan = rules.months_in(tahun, held, current, moves)
    jenis, jenjang = held
    return rules.angka_kredit(predikat, jenis, jenjang, bulan)


def is_final_annual(penilaian: Penilaian) -> bool:
    """Only a settled annual predikat earns angka kredit; a rating under objection does not."""
    return (
        penilaian.periode.jenis == ANNUAL
        and penilaian.status in workflow.PENILAIAN_SETTLED
        and penilaian.predikat is not None
    )


def _current(pegawai: Pegawai) -> Jenjang:
    jabatan = pegawai.jabatan
    return (jabatan.jenis, jabatan.jenjang) if jabatan is not None else (None, None)


def of_penilaian(session: Session, penilaian: Penilaian) -> rules.AngkaKredit | None:
    """The angka kredit earned by a settled annual evaluation; None for any other."""
    if not is_final_annual(penilaian):
        return None
    pegawai = penilaian.skp.pegawai
    tahun = penilaian.periode.tahun
    moves = moves_since(session, [pegawai.id], start_of(tahun)).get(pegawai.id, [])
    return figures(tahun, penilaian.predikat, _current(pegawai), moves)


def per_year(
    session: Session, pegawai: Pegawai, annual: list[tuple[int, Penilaian | None]]
) -> dict[int, rules.AngkaKredit]:
    """The angka kredit of each year whose annual evaluation is settled. The pegawai's moves
    (a handful in a career) are read in one statement, whether or not a year is settled, so
    that the page costs the same statements at every stage of the year."""
    moves = moves_since(session, [pegawai.id], dt.date.min).get(pegawai.id, [])
    result: dict[int, rules.AngkaKredit] = {}
    for tahun, penilaian in annual:
        if penilaian is None or not is_final_annual(penilaian):
            continue
        earned = figures(tahun, penilaian.predikat, _current(pegawai), moves)
        if earned is not None:
            result[tahun] = earned
    return result
