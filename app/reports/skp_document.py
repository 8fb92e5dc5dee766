"""One SKP as an .xlsx document in the PermenPANRB 6/2022 layout, for the pegawai's file: the
non-JPT form, or the JPT form (RHK under the four perspektif, no aspek) with its manual
indikator on a second sheet."""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter
from flask_babel import gettext

from app.domain import enums, skp_form
from app.domain.berakhlak import NilaiBerakhlak
from app.formatting import tanggal, target
from app.models.skp import Skp


def safe_text(value: Any) -> str:
    """Text as typed. Cells are written with write_string and the workbook never converts
    strings to formulas, so a leading = + - @ stays text (formula injection)."""
    return "" if value is None else str(value)


def write_skp(
    stream: IO[bytes], skp: Skp, header: dict[str, Any], berakhlak: tuple[NilaiBerakhlak, ...]
) -> None:
    book = xlsxwriter.Workbook(
        stream, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet("SKP")
    title = book.add_format({"bold": True, "align": "center", "font_size": 13})
    bold = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#EEEEEE", "text_wrap": True, "valign": "top"}
    )
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    section = book.add_format({"italic": True, "border": 1, "text_wrap": True})
    jpt = skp.model == skp_form.JPT
    hasil_kerja = skp_form.hasil_kerja(skp.model, skp.rencana_hasil_kerja)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 38)
    sheet.set_column(3, 3, 5)
    sheet.set_column(4, 4, 22)
    sheet.set_column(5, 5, 38)

    heading = gettext("EMPLOYEE PERFORMANCE TARGETS (SKP)")
    if jpt:
        heading += " — " + gettext("HIGH LEADERSHIP OFFICIALS (JPT)")
    sheet.merge_range(0, 0, 0, 5, heading, title)
    mulai, sampai = skp.masa_berlaku  # part of the year only, after a transfer (mutasi)
    closed = (
        " · " + gettext("Valid until %(tanggal)s (closed by a transfer)", tanggal=tanggal(sampai))
        if skp.berlaku_sampai
        else ""
    )
    sheet.merge_range(
        1,
        0,
        1,
        5,
        f"Pemerintah Kota Dumai · {gettext('Period')}: {tanggal(mulai)} – {tanggal(sampai)}"
        f" · {gettext('Version')} {skp.versi}{closed}",
    )
    row = 3
    sheet.write_string(row, 0, gettext("No."), bold)
    sheet.merge_range(row, 1, row, 2, gettext("Employee being appraised"), bold)
    sheet.write_string(row, 3, gettext("No."), bold)
    sheet.merge_range(row, 4, row, 5, gettext("Appraising official"), bold)
    labels = [
        ("nama", "Name"),
        ("nip", "NIP"),
        ("pangkat", "Rank/grade"),
        ("jabatan", "Position"),
        ("unit_kerja", "Work unit"),
    ]
    for number, (key, label) in enumerate(labels, start=1):
        row += 1
        for offset, party in ((0, header.get("pegawai")), (3, header.get("penilai"))):
            sheet.write_number(row, offset, number, cell)
            sheet.write_string(row, offset + 1, gettext(label), cell)
            sheet.write_string(row, offset + 2, safe_text((party or {}).get(key) or "—"), cell)

    row += 2
    sheet.merge_range(row, 0, row, 5, gettext("A. Work results"), bold)
    row += 1
    source = "Performance agreement or assignment" if jpt else "Supervisor's work result intervened"
    heads = ("No.", source, "Work result plan", "Aspect", "Indicator", "Target")
    for col, label in enumerate(heads):
        if jpt and col == 3:
            continue  # the JPT form has no aspek: the indikator takes both columns
        if jpt and col == 4:
            sheet.merge_range(row, 3, row, 4, gettext(label), bold)
        else:
            sheet.write_string(row, col, gettext(label), bold)
    for jenis, sections in hasil_kerja:
        row += 1
        sheet.merge_range(row, 0, row, 5, gettext(enums.JENIS_RHK[jenis]), bold)
        for perspektif, rows in sections:
            if jpt:
                row += 1
                name = gettext(enums.PERSPEKTIF[perspektif]) if perspektif else "—"
                sheet.merge_range(row, 0, row, 5, f"{gettext('Perspective')}: {name}", section)
            for number, rhk in rows:
                row = _write_rhk(sheet, row, number, rhk, jpt, cell)

    row += 2
    sheet.merge_range(row, 0, row, 5, gettext("B. Work behaviour"), bold)
    row += 1
    sheet.write_string(row, 0, gettext("No."), bold)
    sheet.merge_range(row, 1, row, 3, gettext("Behaviour guide"), bold)
    sheet.merge_range(row, 4, row, 5, gettext("Specific expectations of the leader"), bold)
    ekspektasi = {p.nilai: p.ekspektasi_khusus for p in skp.perilaku_kerja}
    for value in berakhlak:
        row += 1
        sheet.write_number(row, 0, value.urutan, cell)
        guide = value.nama + "\n" + "\n".join(f"- {line}" for line in value.panduan)
        sheet.merge_range(row, 1, row, 3, guide, cell)
        sheet.merge_range(row, 4, row, 5, safe_text(ekspektasi.get(value.urutan)), cell)
        sheet.set_row(row, 60)

    row += 2
    sheet.merge_range(row, 0, row, 5, gettext("Attachment"), bold)
    for key, label in (
        ("dukungan_sumber_daya", "Resource support"),
        ("skema_pertanggungjawaban", "Accountability scheme"),
        ("konsekuensi", "Consequences"),
    ):
        row += 1
        sheet.merge_range(row, 0, row, 1, gettext(label), cell)
        sheet.merge_range(row, 2, row, 5, safe_text(getattr(skp, key) or "—"), cell)
    if jpt:
        _write_manual(book.add_worksheet(gettext("Indicator manual")[:31]), hasil_kerja, bold, cell)
    book.close()


def _write_rhk(sheet: Any, row: int, number: int, rhk: Any, jpt: bool, cell: Any) -> int:
    """One RHK with its indikator, one row each; the last row written."""
    source = rhk.intervensi.uraian if rhk.intervensi else (rhk.penugasan_dari or "—")
    for index, indikator in enumerate(rhk.indikator or [None]):
        row += 1
        if index == 0:
            sheet.write_number(row, 0, number, cell)
            sheet.write_string(row, 1, safe_text(source), cell)
            sheet.write_string(row, 2, safe_text(rhk.uraian), cell)
        else:
            for col in range(3):
                sheet.write_blank(row, col, None, cell)
        if indikator is None:
            if jpt:
                sheet.merge_range(row, 3, row, 4, "—", cell)
            else:
                sheet.write_string(row, 3, "—", cell)
                sheet.write_string(row, 4, "—", cell)
            sheet.write_string(row, 5, "—", cell)
            continue
        if jpt:
            sheet.merge_range(row, 3, row, 4, safe_text(indikator.uraian), cell)
        else:
            sheet.write_string(row, 3, gettext(enums.label(enums.ASPEK, indikator.aspek)), cell)
            sheet.write_string(row, 4, safe_text(indikator.uraian), cell)
        sheet.write_string(row, 5, safe_text(target(indikator)), cell)
    return row


def _write_manual(sheet: Any, hasil_kerja: list[Any], bold: Any, cell: Any) -> None:
    """The JPT form's manual indikator: one row per indikator, one column per field."""
    heads = ["No.", "Perspective", "Work result plan", "Indicator", "Target"]
    heads += list(enums.MANUAL_INDIKATOR.values())
    for col, label in enumerate(heads):
        sheet.write_string(0, col, gettext(label), bold)
        sheet.set_column(col, col, 6 if col == 0 else 28)
    row = 0
    for jenis, sections in hasil_kerja:
        for perspektif, rows in sections:
            for number, rhk in rows:
                for index, indikator in enumerate(rhk.indikator, start=1):
                    row += 1
                    manual = indikator.manual_indikator or {}
                    values = [
                        f"{gettext(enums.JENIS_RHK[jenis])} {number}.{index}",
                        gettext(enums.PERSPEKTIF[perspektif]) if perspektif else "—",
                        rhk.uraian,
                        indikator.uraian,
                        target(indikator),
                    ]
                    for key in enums.MANUAL_INDIKATOR:
                        value = manual.get(key)
                        choices = skp_form.MANUAL_PILIHAN.get(key)
                        if value and choices and value in choices:
                            value = gettext(choices[value])
                        values.append(value or "—")
                    for col, value in enumerate(values):
                        sheet.write_string(row, col, safe_text(value), cell)
