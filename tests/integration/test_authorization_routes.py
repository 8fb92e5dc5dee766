"""Every route of the application, classified: who may reach it, on which row, with what answer.

ROUTES holds one entry per rule of ``app.url_map`` and HTTP method ("METHOD /rule"): the URL
to probe (filled from a Bundle of ids, tests/integration/authz_world.py), the kind of row it
takes, and the answer each role gets on the row of the chain's staff (ROLES order: the staff
themselves, their atasan = pejabat penilai, the head of their OPD = pimpinan OPD and atasan
pejabat penilai, admin BKPSDM). The same URL is then probed with a row out of each role's
scope (the staff's colleague for the staff, a staff of another OPD for the others): it must
answer 404 on a read and 403/404 on an action, never show that row's content, never change it.

A route without an entry fails test_every_route_is_classified: a new route must say here who
may use it. Routes open without login are listed in PUBLIC.

Answers: 200/201 work; 302 is a redirect after a change that worked (no error flashed);
FLASH is a redirect whose flash refuses it (a rule of the workflow, not of access); 400/403/
404/405/409/422 as the contract says.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.integration.authz_world import (
    MASTER,
    PDF,
    Bundle,
    World,
    build_world,
    fingerprint,
    remove_master_rows,
)

ROLES = ("staff", "atasan", "pimpinan", "admin")
FLASH = "flash"
WORKS = {200, 201, 302}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = object()  # in a body: a fresh PDF upload

EVERYONE = (200, 200, 200, 200)
ADMIN_ONLY = (403, 403, 403, 200)
ADMIN_REDIRECT = (403, 403, 403, 302)
APPRAISERS = (403, 200, 200, 200)  # atasan, pimpinan OPD, admin (reports, approval inbox)
OPD_HEADS = (403, 403, 200, 200)  # pimpinan OPD and admin (monitoring, kurva, kepatuhan)
STAFF_ACTS = (302, 403, 403, 403)  # only the owner may (HTML)
ATASAN_ACTS = (403, 302, 403, 403)  # only the pejabat penilai may (HTML)
NOBODY = (403, 403, 403, 403)
SAME = "same"  # out of scope: the same answer as in scope (reference data, own pages)
OTHER_OPD = (403, 403, 404)  # a unit of another OPD asked for by a page of OPD heads


@dataclass(frozen=True)
class Probe:
    url: str
    expect: tuple[Any, ...]  # per ROLES, on the staff's row
    kind: str | None = None  # the row the URL names; None: a page or a collection
    body: Any = None
    world: str = "full"  # the state a write needs (authz_world.STATES / MASTER)
    hidden: Any = None  # answer on an out-of-scope row; None: 404 read, 403/404 write
    shows: str | None = None  # what a 200 must contain (a Bundle.secrets or .names key)
    shown_to: tuple[str, ...] | None = None  # roles that must see it (default: all 200s)
    writes: bool | None = None  # default: any method but GET
    form: bool | None = None  # body as a form (default for HTML) or JSON (default for API)


def model_view(
    prefix: str,
    kind: str,
    reads: tuple[Any, ...],
    add: dict[str, Any],
    edit: dict[str, Any],
    action: str | None = None,
    list_query: str = "",
    shows: str | None = None,
    world: str = MASTER,
    hidden: Any = SAME,
    read_kind: str | None = None,
    add_answer: Any = 302,
) -> dict[str, Probe]:
    """The routes of a SikapModelView: reads for ``reads`` (of ``read_kind`` rows, default
    ``kind``), writes for admin BKPSDM (of ``kind`` rows, throwaway ones). Actions are POST
    only and FAB's download route is not offered (app.views.base.CheckedActions)."""
    read_kind = read_kind or kind
    action_url = f"/{prefix}/action/{action or 'tidak_ada'}/{{{kind}}}"
    # FAB's action routes answer 404 to an action the view does not have.
    action_expect = ADMIN_REDIRECT if action else (404, 404, 404, 404)
    return {
        f"GET /{prefix}/list/": Probe(
            f"/{prefix}/list/{list_query}", reads, shows=shows, hidden=hidden
        ),
        f"GET /{prefix}/show/<pk>": Probe(
            f"/{prefix}/show/{{{read_kind}}}", reads, read_kind, shows=shows, hidden=hidden
        ),
        f"GET /{prefix}/add": Probe(f"/{prefix}/add", ADMIN_ONLY),
        f"POST /{prefix}/add": Probe(
            f"/{prefix}/add", (403, 403, 403, add_answer), body=add, world=world
        ),
        f"GET /{prefix}/edit/<pk>": Probe(f"/{prefix}/edit/{{{read_kind}}}", ADMIN_ONLY, read_kind),
        f"POST /{prefix}/edit/<pk>": Probe(
            f"/{prefix}/edit/{{{kind}}}", ADMIN_REDIRECT, kind, body=edit, world=world
        ),
        # FAB deletes on GET too, unless CSRF protection is on: then it refuses with a flash.
        f"GET /{prefix}/delete/<pk>": Probe(
            f"/{prefix}/delete/{{{kind}}}", (403, 403, 403, FLASH), kind, world=world, writes=True
        ),
        f"POST /{prefix}/delete/<pk>": Probe(
            f"/{prefix}/delete/{{{kind}}}", ADMIN_REDIRECT, kind, world=world
        ),
        f"POST /{prefix}/action/<string:name>/<pk>": Probe(
            action_url, action_expect, kind, world=world
        ),
        f"POST /{prefix}/action_post": Probe(
            f"/{prefix}/action_post",
            action_expect,
            kind,
            body={"action": action or "tidak_ada", "rowid": f"{{{kind}}}"},
            world=world,
        ),
    }


def model_api(
    resource: str,
    kind: str,
    post: dict[str, Any],
    put: dict[str, Any],
    list_query: str = "",
    read_kind: str | None = None,
    post_answer: int = 201,
) -> dict[str, Probe]:
    """A master-data REST resource: every ASN reads it, admin BKPSDM writes it."""
    base = f"/api/v1/{resource}"
    read_kind = read_kind or kind
    return {
        f"GET {base}/": Probe(f"{base}/{list_query}", EVERYONE, hidden=SAME),
        f"GET {base}/<int:pk>": Probe(f"{base}/{{{read_kind}}}", EVERYONE, read_kind, hidden=SAME),
        f"GET {base}/_info": Probe(f"{base}/_info", EVERYONE, hidden=SAME),
        f"POST {base}/": Probe(f"{base}/", (403, 403, 403, post_answer), body=post, world=MASTER),
        f"PUT {base}/<pk>": Probe(
            f"{base}/{{{kind}}}", (403, 403, 403, 200), kind, body=put, world=MASTER
        ),
        f"DELETE {base}/<pk>": Probe(
            f"{base}/{{{kind}}}", (403, 403, 403, 200), kind, world=MASTER
        ),
    }


def security_view(
    prefix: str, kind: str, add: dict[str, Any], edit: dict[str, Any], action: str | None = None
) -> dict[str, Probe]:
    """FAB's own account and role pages: admin BKPSDM only."""
    return model_view(prefix, kind, ADMIN_ONLY, add, edit, action, hidden=403)


def q(column: str, value: str) -> str:
    """A Rison list query filtering one column (FAB ModelRestApi)."""
    return f"?q=(filters:!((col:{column},opr:eq,value:{value})))"


RATING = {"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "sesuai"}
NEW_PASSWORD = "Kinerja2026Dumai"  # meets the password rule (app/security/passwords.py)
TODAY = "{today}"
# A transfer of the staff to the empty seksi, in another jabatan, under the same atasan.
MUTASI = {
    "tanggal": TODAY,
    "unit_kerja_id": "{kosong}",
    "jabatan_id": "{jabatan}",
    "atasan_id": "{atasan}",
    "nomor_sk": "800/MUTASI/AKSES",
}

# Routes anyone may call without signing in; none of them shows performance data.
PUBLIC = {
    "GET /static/<path:filename>",
    "GET /static/appbuilder/<path:filename>",
    "GET /health",
    "GET /favicon.ico",
    "GET /login/",
    "POST /login/",
    "GET /logout/",
    "GET /lang/<string:locale>",
    "GET /back",
    "POST /api/v1/security/login",
    "POST /api/v1/security/refresh",  # needs a refresh token
    # An issued document's public facts, by an unguessable token (tests/integration/
    # test_dokumen_pdf.py): name, masked NIP, periode, status, issue time, current or not.
    "GET /verifikasi/<string:token>",
}

ROUTES: dict[str, Probe] = {
    # --- dashboard, own pages -------------------------------------------------------------
    "GET /": Probe("/?unit_kerja_id={unit}", EVERYONE, hidden=(200, 200, 404)),
    "GET /kinerja-saya/": Probe("/kinerja-saya/", EVERYONE),
    "GET /panduan/": Probe("/panduan/", EVERYONE),
    "GET /users/userinfo/": Probe("/users/userinfo/", EVERYONE, hidden=SAME),
    "GET /userinfoeditview/form": Probe("/userinfoeditview/form", EVERYONE, hidden=SAME),
    "POST /userinfoeditview/form": Probe(
        "/userinfoeditview/form",
        (302, 302, 302, 302),
        body={"first_name": "Nama Baru", "last_name": "Akses"},
        world="people",
        hidden=SAME,
    ),
    "GET /resetmypassword/form": Probe("/resetmypassword/form", EVERYONE, hidden=SAME),
    "POST /resetmypassword/form": Probe(
        "/resetmypassword/form",
        (302, 302, 302, 302),
        body={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
        world="people",
        hidden=SAME,
    ),
    # --- notifications: each pegawai's own, never through the org chart ------------------
    "GET /notifikasi/": Probe("/notifikasi/", EVERYONE, shows="notice", shown_to=("staff",)),
    "POST /notifikasi/<int:notice_id>/baca": Probe(
        "/notifikasi/{notifikasi}/baca", (302, 404, 404, 404), "notifikasi"
    ),
    "POST /notifikasi/<int:notice_id>/buka": Probe(
        "/notifikasi/{notifikasi}/buka", (302, 404, 404, 404), "notifikasi"
    ),
    "POST /notifikasi/baca-semua": Probe(
        "/notifikasi/baca-semua", (302, 302, 302, 302), hidden=SAME
    ),
    # --- SKP pages ------------------------------------------------------------------------
    "GET /skp/": Probe("/skp/", EVERYONE),
    "POST /skp/buat": Probe(
        "/skp/buat",
        (302, FLASH, FLASH, 403),
        body={"pendekatan": "kuantitatif"},
        world="people",
        hidden=(FLASH, FLASH, FLASH),  # everyone has this year's SKP already
    ),
    "GET /skp/<int:skp_id>": Probe("/skp/{skp}", EVERYONE, "skp", shows="uraian"),
    "POST /skp/<int:skp_id>/lampiran": Probe(
        "/skp/{skp}/lampiran",
        STAFF_ACTS,
        "skp",
        body={"pendekatan": "kualitatif", "konsekuensi": "Teguran"},
        world="draft",
    ),
    "POST /skp/<int:skp_id>/rhk": Probe(
        "/skp/{skp}/rhk",
        STAFF_ACTS,
        "skp",
        body={"jenis": "utama", "uraian": "RHK tambahan", "intervensi_id": "{atasan_rhk}"},
        world="draft",
    ),
    "POST /skp/rhk/<int:rhk_id>/hapus": Probe(
        "/skp/rhk/{rhk}/hapus", STAFF_ACTS, "rhk", body={}, world="draft"
    ),
    "POST /skp/rhk/<int:rhk_id>/ubah": Probe(
        "/skp/rhk/{rhk}/ubah",
        STAFF_ACTS,
        "rhk",
        body={"jenis": "utama", "uraian": "RHK diubah", "intervensi_id": "{atasan_rhk}"},
        world="draft",
    ),
    "POST /skp/rhk/<int:rhk_id>/indikator": Probe(
        "/skp/rhk/{rhk}/indikator",
        STAFF_ACTS,
        "rhk",
        body={"aspek": "kualitas", "uraian": "Akurasi", "target": "100", "satuan": "%"},
        world="draft",
    ),
    "POST /skp/indikator/<int:indikator_id>/hapus": Probe(
        "/skp/indikator/{indikator}/hapus", STAFF_ACTS, "indikator", body={}, world="draft"
    ),
    "POST /skp/indikator/<int:indikator_id>/ubah": Probe(
        "/skp/indikator/{indikator}/ubah",
        STAFF_ACTS,
        "indikator",
        body={"aspek": "kuantitas", "uraian": "Jumlah diubah", "target": "24", "satuan": "dok"},
        world="draft",
    ),
    "POST /skp/<int:skp_id>/ajukan": Probe(
        "/skp/{skp}/ajukan", STAFF_ACTS, "skp", body={}, world="draft"
    ),
    "POST /skp/<int:skp_id>/setujui": Probe(
        "/skp/{skp}/setujui", ATASAN_ACTS, "skp", body={}, world="diajukan"
    ),
    "POST /skp/<int:skp_id>/kembalikan": Probe(
        "/skp/{skp}/kembalikan",
        ATASAN_ACTS,
        "skp",
        body={"catatan": "Lengkapi indikator"},
        world="diajukan",
    ),
    "POST /skp/<int:skp_id>/ekspektasi": Probe(
        "/skp/{skp}/ekspektasi",
        ATASAN_ACTS,
        "skp",
        body={"ekspektasi_1": "Melayani dengan ramah"},
        world="draft",
    ),
    "POST /skp/<int:skp_id>/revisi": Probe("/skp/{skp}/revisi", STAFF_ACTS, "skp", body={}),
    "GET /skp/persetujuan/": Probe(
        "/skp/persetujuan/?status=disetujui", APPRAISERS, shows="nip", shown_to=("atasan",)
    ),
    "POST /skp/persetujuan/setujui": Probe(
        "/skp/persetujuan/setujui",
        (403, 302, 403, 403),
        "skp",
        body={"skp_id": "{skp}"},
        world="diajukan",
    ),
    "GET /skp/dokumen/<int:skp_id>/cetak": Probe(
        "/skp/dokumen/{skp}/cetak", EVERYONE, "skp", shows="uraian"
    ),
    "GET /skp/dokumen/<int:skp_id>/skp.xlsx": Probe(
        "/skp/dokumen/{skp}/skp.xlsx", EVERYONE, "skp", shows="uraian"
    ),
    "GET /skp/<int:skp_id>/dokumen.pdf": Probe(
        "/skp/{skp}/dokumen.pdf", EVERYONE, "skp", shows="uraian"
    ),
    "GET /skp/monitoring/": Probe(
        "/skp/monitoring/?unit_kerja_id={unit}", OPD_HEADS, shows="nip", hidden=OTHER_OPD
    ),
    "GET /skp/monitoring/unduh.xlsx": Probe(
        "/skp/monitoring/unduh.xlsx?unit_kerja_id={unit}",
        OPD_HEADS,
        shows="nip",
        hidden=OTHER_OPD,
    ),
    # --- dialog kinerja -------------------------------------------------------------------
    "GET /umpan-balik/<int:skp_id>": Probe("/umpan-balik/{skp}", EVERYONE, "skp", shows="pesan"),
    "POST /umpan-balik/<int:skp_id>/tulis": Probe(
        "/umpan-balik/{skp}/tulis",
        (302, 302, 403, 403),
        "skp",
        body={"topik": "umum", "pesan": "Bagaimana progresnya?"},
    ),
    # --- realisasi and bukti dukung -------------------------------------------------------
    "GET /realisasi/<int:skp_id>/<int:periode_id>": Probe(
        "/realisasi/{skp}/{periode}", EVERYONE, "skp", shows="catatan"
    ),
    "POST /realisasi/<int:skp_id>/<int:periode_id>/indikator/<int:indikator_id>": Probe(
        "/realisasi/{skp}/{periode}/indikator/{indikator}",
        STAFF_ACTS,
        "indikator",
        body={"nilai": "11", "catatan": "Diperbarui"},
    ),
    "POST /realisasi/<int:skp_id>/<int:periode_id>": Probe(
        "/realisasi/{skp}/{periode}", STAFF_ACTS, "skp", body={}
    ),
    "POST /realisasi/<int:skp_id>/<int:periode_id>/ajukan": Probe(
        "/realisasi/{skp}/{periode}/ajukan", STAFF_ACTS, "skp", body={}
    ),
    "POST /realisasi/isian/<int:realisasi_id>/berkas": Probe(
        "/realisasi/isian/{realisasi}/berkas",
        STAFF_ACTS,
        "realisasi",
        body={"berkas": FILE, "keterangan": "Berkas tambahan"},
    ),
    "POST /realisasi/isian/<int:realisasi_id>/tautan": Probe(
        "/realisasi/isian/{realisasi}/tautan",
        STAFF_ACTS,
        "realisasi",
        body={"url": "https://contoh.dumaikota.go.id/lain", "keterangan": "Tautan"},
    ),
    "POST /realisasi/bukti/<int:bukti_id>/hapus": Probe(
        "/realisasi/bukti/{bukti}/hapus", STAFF_ACTS, "bukti", body={}
    ),
    "GET /skp/riwayat/<int:riwayat_id>/dokumen": Probe(
        "/skp/riwayat/{dokumen_skp}/dokumen", EVERYONE, "dokumen_skp"
    ),
    "GET /penilaian/riwayat/<int:riwayat_id>/dokumen": Probe(
        "/penilaian/riwayat/{dokumen_penilaian}/dokumen", EVERYONE, "dokumen_penilaian"
    ),
    "GET /realisasi/bukti/<int:bukti_id>/unduh": Probe(
        "/realisasi/bukti/{bukti}/unduh", EVERYONE, "bukti", shows="berkas"
    ),
    # --- penilaian ------------------------------------------------------------------------
    "GET /penilaian/": Probe("/penilaian/", EVERYONE),
    "GET /penilaian/<int:penilaian_id>": Probe(
        "/penilaian/{penilaian}", EVERYONE, "penilaian", shows="catatan"
    ),
    "GET /penilaian/<int:penilaian_id>/dokumen.pdf": Probe(
        "/penilaian/{penilaian}/dokumen.pdf", EVERYONE, "penilaian", shows="catatan"
    ),
    "POST /penilaian/<int:penilaian_id>/ajukan": Probe(
        "/penilaian/{penilaian}/ajukan", STAFF_ACTS, "penilaian", body={}
    ),
    "POST /penilaian/<int:penilaian_id>/nilai": Probe(
        "/penilaian/{penilaian}/nilai",
        ATASAN_ACTS,
        "penilaian",
        body={**RATING, "umpan_balik": "Baik"},
        world="penilaian_diajukan",
    ),
    "POST /penilaian/<int:penilaian_id>/terima": Probe(
        "/penilaian/{penilaian}/terima",
        STAFF_ACTS,
        "penilaian",
        body={},
        world="penilaian_dinilai",
    ),
    "POST /penilaian/<int:penilaian_id>/keberatan": Probe(
        "/penilaian/{penilaian}/keberatan",
        STAFF_ACTS,
        "penilaian",
        body={"alasan": "Bukti lengkap"},
        world="penilaian_dinilai",
    ),
    "POST /penilaian/<int:penilaian_id>/putuskan": Probe(
        "/penilaian/{penilaian}/putuskan",
        (403, 403, 302, 403),
        "penilaian",
        body={**RATING, "catatan": "Diputus"},
        world="penilaian_keberatan",
    ),
    # --- tindak lanjut and pengembangan kompetensi ----------------------------------------
    "GET /pengembangan/": Probe(
        "/pengembangan/?unit_kerja_id={unit}", EVERYONE, shows="nip", hidden=(200, 200, 200)
    ),
    "GET /pengembangan/<int:plan_id>": Probe(
        "/pengembangan/{rencana}", EVERYONE, "rencana", shows="target"
    ),
    "POST /pengembangan/<int:plan_id>": Probe(
        "/pengembangan/{rencana}",
        ATASAN_ACTS,
        "rencana",
        body={"status": "usulan", "target": "Target baru", "langkah": "Mentoring"},
    ),
    "GET /pelatihan/": Probe(
        "/pelatihan/?unit_kerja_id={unit}", EVERYONE, shows="diklat", hidden=(200, 200, 200)
    ),
    "GET /pelatihan/jp": Probe("/pelatihan/jp?cari={nip}", EVERYONE, shows="nip"),
    "GET /pelatihan/pegawai/<int:pegawai_id>": Probe(
        "/pelatihan/pegawai/{pegawai}", EVERYONE, "pegawai", shows="diklat"
    ),
    "GET /pelatihan/tambah": Probe("/pelatihan/tambah", ADMIN_ONLY),
    "POST /pelatihan/tambah": Probe(
        "/pelatihan/tambah",
        ADMIN_REDIRECT,
        body={"nip": "{nip}", "nama_diklat": "Diklat Baru", "tanggal_mulai": TODAY, "jp": "8"},
        world="people",
    ),
    "GET /pelatihan/<int:pelatihan_id>/ubah": Probe(
        "/pelatihan/{pelatihan}/ubah", ADMIN_ONLY, "pelatihan"
    ),
    "POST /pelatihan/<int:pelatihan_id>/ubah": Probe(
        "/pelatihan/{pelatihan}/ubah",
        ADMIN_REDIRECT,
        "pelatihan",
        body={"nama_diklat": "Diklat Diubah", "tanggal_mulai": TODAY, "jp": "6"},
    ),
    "POST /pelatihan/<int:pelatihan_id>/hapus": Probe(
        "/pelatihan/{pelatihan}/hapus", ADMIN_REDIRECT, "pelatihan", body={}
    ),
    # --- OPD pages: monitoring, kurva, kepatuhan, reports ---------------------------------
    "GET /kurva/": Probe(
        "/kurva/?unit_kerja_id={unit}&periode_id={periode_tahunan}",
        OPD_HEADS,
        shows="nip",
        hidden=OTHER_OPD,
    ),
    "GET /kurva/<int:unit_kerja_id>/<int:periode_id>/pola_distribusi.pdf": Probe(
        "/kurva/{unit}/{periode_tahunan}/pola_distribusi.pdf",
        OPD_HEADS,
        shows="nip",
        hidden=OTHER_OPD,
    ),
    # The predikat organisasi is the Wali Kota's, recorded by admin BKPSDM: the pimpinan OPD
    # reads it (the kurva page, the API) and is refused a write.
    "POST /kurva/tetapkan": Probe(
        "/kurva/tetapkan",
        ADMIN_REDIRECT,
        "unit",
        body={
            "unit_kerja_id": "{unit}",
            "periode_id": "{periode}",
            "predikat": "baik",
            "nomor_penetapan": "800/BKPSDM/2026/001",
            "ditetapkan": "",
        },
    ),
    "POST /kurva/justifikasi": Probe(
        "/kurva/justifikasi",
        (403, 403, FLASH, FLASH),
        "unit",
        body={"unit_kerja_id": "{unit}", "periode_id": "{periode_tahunan}", "alasan": "Alasan"},
    ),
    "POST /kurva/simulasi": Probe(
        "/kurva/simulasi",
        (403, 403, 200, 200),
        "unit",
        body={
            "unit_kerja_id": "{unit}",
            "periode_id": "{periode_tahunan}",
            "predikat_organisasi": "baik",
            "perubahan": {},
        },
        form=False,
    ),
    "GET /kepatuhan/": Probe(
        "/kepatuhan/?unit_kerja_id={unit}", OPD_HEADS, shows="nip", hidden=OTHER_OPD
    ),
    "GET /kepatuhan/pengingat": Probe(
        "/kepatuhan/pengingat?unit_kerja_id={unit}", OPD_HEADS, hidden=OTHER_OPD
    ),
    "POST /kepatuhan/kirim": Probe(
        "/kepatuhan/kirim",
        (403, 403, 302, 302),
        "unit",
        body={"periode_id": "{periode_tahunan}", "unit_kerja_id": "{unit}", "kategori": ""},
    ),
    "GET /laporan/": Probe("/laporan/", APPRAISERS, hidden=SAME),
    # The units the viewer may filter by (its own scope: the same answer for any row).
    "GET /laporan/unit": Probe("/laporan/unit?q=a", APPRAISERS, hidden=SAME),
    "GET /laporan/<string:jenis>.<string:ext>": Probe(
        "/laporan/pegawai.xlsx?unit_kerja_id={unit}", APPRAISERS, "unit", shows="nip"
    ),
    "GET /api/v1/laporan/<string:jenis>.<string:ext>": Probe(
        "/api/v1/laporan/pegawai.xlsx?unit_kerja_id={unit}", APPRAISERS, "unit", shows="nip"
    ),
    # A report written by the worker is its asker's alone: anyone else's token is unknown
    # (tests/integration/test_ekspor.py follows one from the queue to its file).
    "GET /laporan/ekspor/<string:token>": Probe(
        "/laporan/ekspor/tidak-ada", (403, 404, 404, 404), hidden=SAME
    ),
    "GET /laporan/ekspor/<string:token>/berkas": Probe(
        "/laporan/ekspor/tidak-ada/berkas", (403, 404, 404, 404), hidden=SAME
    ),
    "GET /api/v1/laporan/ekspor/<string:token>": Probe(
        "/api/v1/laporan/ekspor/tidak-ada", (403, 404, 404, 404), hidden=SAME
    ),
    "GET /api/v1/laporan/ekspor/<string:token>/berkas": Probe(
        "/api/v1/laporan/ekspor/tidak-ada/berkas", (403, 404, 404, 404), hidden=SAME
    ),
    # --- closing the year (admin BKPSDM): the read-only rule has its own tests ----------------
    # (tests/integration/test_tutup_tahun.py); here nobody else may look or act.
    "GET /tutup-tahun/": Probe("/tutup-tahun/", ADMIN_ONLY),
    "GET /tutup-tahun/<int:tahun>/rincian/<string:jenis>": Probe(
        f"/tutup-tahun/{date.today().year}/rincian/keberatan", ADMIN_ONLY
    ),
    "POST /tutup-tahun/tutup": Probe(
        "/tutup-tahun/tutup", (403, 403, 403, 409), body={"tahun": str(date.today().year)}
    ),
    "POST /tutup-tahun/buka": Probe(
        "/tutup-tahun/buka",
        (403, 403, 403, 400),
        body={"tahun": str(date.today().year), "alasan": ""},
    ),
    # --- employee import (admin BKPSDM) ---------------------------------------------------
    "GET /pegawai/impor/": Probe("/pegawai/impor/", ADMIN_ONLY),
    "POST /pegawai/impor/": Probe("/pegawai/impor/", (403, 403, 403, 400), body={}),
    "GET /pegawai/impor/templat.xlsx": Probe("/pegawai/impor/templat.xlsx", ADMIN_ONLY),
    # --- audit trail (admin BKPSDM, read-only) --------------------------------------------
    "GET /auditlogview/list/": Probe("/auditlogview/list/", ADMIN_ONLY),
    "GET /auditlogview/show/<pk>": Probe("/auditlogview/show/{audit}", ADMIN_ONLY, "audit"),
    "GET /auditlogview/add": Probe("/auditlogview/add", NOBODY),
    "POST /auditlogview/add": Probe("/auditlogview/add", NOBODY, body={"ip": "x"}),
    "GET /auditlogview/edit/<pk>": Probe("/auditlogview/edit/{audit}", NOBODY, "audit"),
    "POST /auditlogview/edit/<pk>": Probe(
        "/auditlogview/edit/{audit}", NOBODY, "audit", body={"ip": "x"}
    ),
    "GET /auditlogview/delete/<pk>": Probe(
        "/auditlogview/delete/{audit}", NOBODY, "audit", writes=True
    ),
    "POST /auditlogview/delete/<pk>": Probe("/auditlogview/delete/{audit}", NOBODY, "audit"),
    "POST /auditlogview/action/<string:name>/<pk>": Probe(
        "/auditlogview/action/tidak_ada/{audit}", (404, 404, 404, 404), "audit"
    ),
    "POST /auditlogview/action_post": Probe(
        "/auditlogview/action_post",
        (404, 404, 404, 404),
        "audit",
        body={"action": "tidak_ada", "rowid": "{audit}"},
    ),
    "GET /api/v1/audit_log/": Probe("/api/v1/audit_log/", ADMIN_ONLY),
    "GET /api/v1/audit_log/<int:pk>": Probe("/api/v1/audit_log/{audit}", ADMIN_ONLY, "audit"),
    "GET /api/v1/audit_log/_info": Probe("/api/v1/audit_log/_info", ADMIN_ONLY),
    # --- signing out over REST: one's own sessions and tokens, whoever one is ------------
    "POST /api/v1/sesi/keluar": Probe("/api/v1/sesi/keluar", EVERYONE, hidden=SAME),
    # --- login records (admin BKPSDM, read-only) ------------------------------------------
    "GET /catatanmasukview/list/": Probe("/catatanmasukview/list/", ADMIN_ONLY),
    "GET /catatanmasukview/show/<pk>": Probe(
        "/catatanmasukview/show/{catatan}", ADMIN_ONLY, "catatan"
    ),
    "GET /catatanmasukview/add": Probe("/catatanmasukview/add", NOBODY),
    "POST /catatanmasukview/add": Probe("/catatanmasukview/add", NOBODY, body={"ip": "x"}),
    "GET /catatanmasukview/edit/<pk>": Probe("/catatanmasukview/edit/{catatan}", NOBODY, "catatan"),
    "POST /catatanmasukview/edit/<pk>": Probe(
        "/catatanmasukview/edit/{catatan}", NOBODY, "catatan", body={"ip": "x"}
    ),
    "GET /catatanmasukview/delete/<pk>": Probe(
        "/catatanmasukview/delete/{catatan}", NOBODY, "catatan", writes=True
    ),
    "POST /catatanmasukview/delete/<pk>": Probe(
        "/catatanmasukview/delete/{catatan}", NOBODY, "catatan"
    ),
    "POST /catatanmasukview/action/<string:name>/<pk>": Probe(
        "/catatanmasukview/action/tidak_ada/{catatan}", (404, 404, 404, 404), "catatan"
    ),
    "POST /catatanmasukview/action_post": Probe(
        "/catatanmasukview/action_post",
        (404, 404, 404, 404),
        "catatan",
        body={"action": "tidak_ada", "rowid": "{catatan}"},
    ),
    "GET /api/v1/catatan_masuk/": Probe("/api/v1/catatan_masuk/", ADMIN_ONLY),
    "GET /api/v1/catatan_masuk/<int:pk>": Probe(
        "/api/v1/catatan_masuk/{catatan}", ADMIN_ONLY, "catatan"
    ),
    "GET /api/v1/catatan_masuk/_info": Probe("/api/v1/catatan_masuk/_info", ADMIN_ONLY),
    # --- FAB's API plumbing ---------------------------------------------------------------
    "GET /api/<version>/_openapi": Probe("/api/v1/_openapi", ADMIN_ONLY),
    "GET /swagger/<version>": Probe("/swagger/v1", ADMIN_ONLY),
    "GET /api/v1/menu/": Probe("/api/v1/menu/", ADMIN_ONLY),
    "GET /resetpassword/form": Probe("/resetpassword/form?pk={akun}", ADMIN_ONLY, "akun"),
    "POST /resetpassword/form": Probe(
        "/resetpassword/form?pk={akun}",
        ADMIN_REDIRECT,
        "akun",
        body={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
        world=MASTER,
    ),
    # --- REST: SKP, RHK, indikator --------------------------------------------------------
    "GET /api/v1/skp/": Probe(f"/api/v1/skp/{q('pegawai_id', '{pegawai}')}", EVERYONE),
    "GET /api/v1/skp/<int:pk>": Probe("/api/v1/skp/{skp}", EVERYONE, "skp"),
    "GET /api/v1/skp/_info": Probe("/api/v1/skp/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/skp/": Probe(
        "/api/v1/skp/",
        (201, 422, 422, 403),
        body={"periode_id": "{periode_tahunan}", "pendekatan": "kuantitatif"},
        world="people",
        hidden=(422, 422, 422),  # everyone has this year's SKP already
    ),
    "PUT /api/v1/skp/<pk>": Probe(
        "/api/v1/skp/{skp}",
        (200, 403, 403, 403),
        "skp",
        body={"pendekatan": "kualitatif"},
        world="draft",
    ),
    "POST /api/v1/skp/<int:pk>/submit": Probe(
        "/api/v1/skp/{skp}/submit", (200, 403, 403, 403), "skp", body={}, world="draft"
    ),
    "POST /api/v1/skp/<int:pk>/approve": Probe(
        "/api/v1/skp/{skp}/approve", (403, 200, 403, 403), "skp", body={}, world="diajukan"
    ),
    "POST /api/v1/skp/<int:pk>/return": Probe(
        "/api/v1/skp/{skp}/return",
        (403, 200, 403, 403),
        "skp",
        body={"catatan": "Perbaiki"},
        world="diajukan",
    ),
    "GET /api/v1/rencana_hasil_kerja/": Probe(
        f"/api/v1/rencana_hasil_kerja/{q('skp_id', '{skp}')}", EVERYONE
    ),
    "GET /api/v1/rencana_hasil_kerja/<int:pk>": Probe(
        "/api/v1/rencana_hasil_kerja/{rhk}", EVERYONE, "rhk", shows="uraian"
    ),
    "GET /api/v1/rencana_hasil_kerja/_info": Probe(
        "/api/v1/rencana_hasil_kerja/_info", EVERYONE, hidden=SAME
    ),
    "POST /api/v1/rencana_hasil_kerja/": Probe(
        "/api/v1/rencana_hasil_kerja/",
        (201, 403, 403, 403),
        "skp",
        body={
            "skp_id": "{skp}",
            "jenis": "utama",
            "uraian": "Baru",
            "intervensi_id": "{atasan_rhk}",
        },
        world="draft",
    ),
    "PUT /api/v1/rencana_hasil_kerja/<pk>": Probe(
        "/api/v1/rencana_hasil_kerja/{rhk}",
        (200, 403, 403, 403),
        "rhk",
        body={"uraian": "Diubah"},
        world="draft",
    ),
    "DELETE /api/v1/rencana_hasil_kerja/<pk>": Probe(
        "/api/v1/rencana_hasil_kerja/{rhk}", (200, 403, 403, 403), "rhk", world="draft"
    ),
    "GET /api/v1/indikator_kinerja/": Probe(
        f"/api/v1/indikator_kinerja/{q('rencana_hasil_kerja_id', '{rhk}')}", EVERYONE
    ),
    "GET /api/v1/indikator_kinerja/<int:pk>": Probe(
        "/api/v1/indikator_kinerja/{indikator}", EVERYONE, "indikator", shows="indikator"
    ),
    "GET /api/v1/indikator_kinerja/_info": Probe(
        "/api/v1/indikator_kinerja/_info", EVERYONE, hidden=SAME
    ),
    "POST /api/v1/indikator_kinerja/": Probe(
        "/api/v1/indikator_kinerja/",
        (201, 403, 403, 403),
        "rhk",
        body={
            "rencana_hasil_kerja_id": "{rhk}",
            "aspek": "waktu",
            "uraian": "Tepat waktu",
            "target": 12,
            "satuan": "bulan",
        },
        world="draft",
    ),
    "PUT /api/v1/indikator_kinerja/<pk>": Probe(
        "/api/v1/indikator_kinerja/{indikator}",
        (200, 403, 403, 403),
        "indikator",
        body={"target": 10},
        world="draft",
    ),
    "DELETE /api/v1/indikator_kinerja/<pk>": Probe(
        "/api/v1/indikator_kinerja/{indikator}", (200, 403, 403, 403), "indikator", world="draft"
    ),
    # --- REST: penilaian ------------------------------------------------------------------
    "GET /api/v1/penilaian/": Probe(f"/api/v1/penilaian/{q('skp_id', '{skp}')}", EVERYONE),
    "GET /api/v1/penilaian/<int:pk>": Probe("/api/v1/penilaian/{penilaian}", EVERYONE, "penilaian"),
    "GET /api/v1/penilaian/_info": Probe("/api/v1/penilaian/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/penilaian/<int:pk>/submit": Probe(
        "/api/v1/penilaian/{penilaian}/submit", (200, 403, 403, 403), "penilaian", body={}
    ),
    "POST /api/v1/penilaian/<int:pk>/rate": Probe(
        "/api/v1/penilaian/{penilaian}/rate",
        (403, 200, 403, 403),
        "penilaian",
        body=RATING,
        world="penilaian_diajukan",
    ),
    "POST /api/v1/penilaian/<int:pk>/accept": Probe(
        "/api/v1/penilaian/{penilaian}/accept",
        (200, 403, 403, 403),
        "penilaian",
        body={},
        world="penilaian_dinilai",
    ),
    "POST /api/v1/penilaian/<int:pk>/object": Probe(
        "/api/v1/penilaian/{penilaian}/object",
        (200, 403, 403, 403),
        "penilaian",
        body={"alasan": "Bukti lengkap"},
        world="penilaian_dinilai",
    ),
    "POST /api/v1/penilaian/<int:pk>/decide": Probe(
        "/api/v1/penilaian/{penilaian}/decide",
        (403, 403, 200, 403),
        "penilaian",
        body={**RATING, "catatan": "Diputus"},
        world="penilaian_keberatan",
    ),
    # --- REST: realisasi, bukti dukung, umpan balik ---------------------------------------
    "GET /api/v1/realisasi/": Probe(
        f"/api/v1/realisasi/{q('indikator_kinerja_id', '{indikator}')}", EVERYONE
    ),
    "GET /api/v1/realisasi/<int:pk>": Probe(
        "/api/v1/realisasi/{realisasi}", EVERYONE, "realisasi", shows="catatan"
    ),
    "GET /api/v1/realisasi/_info": Probe("/api/v1/realisasi/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/realisasi/": Probe(
        "/api/v1/realisasi/",
        (201, 403, 403, 403),
        "indikator",
        body={"indikator_kinerja_id": "{indikator}", "periode_id": "{periode_tw2}", "nilai": 3},
    ),
    "PUT /api/v1/realisasi/<pk>": Probe(
        "/api/v1/realisasi/{realisasi}", (200, 403, 403, 403), "realisasi", body={"nilai": 9}
    ),
    "DELETE /api/v1/realisasi/<pk>": Probe(
        "/api/v1/realisasi/{realisasi}", (200, 403, 403, 403), "realisasi"
    ),
    "GET /api/v1/bukti_dukung/": Probe(
        f"/api/v1/bukti_dukung/{q('realisasi_id', '{realisasi}')}", EVERYONE, shows="keterangan"
    ),
    "GET /api/v1/bukti_dukung/<int:pk>": Probe(
        "/api/v1/bukti_dukung/{bukti}", EVERYONE, "bukti", shows="keterangan"
    ),
    "GET /api/v1/bukti_dukung/<int:pk>/download": Probe(
        "/api/v1/bukti_dukung/{bukti}/download", EVERYONE, "bukti", shows="berkas"
    ),
    "GET /api/v1/bukti_dukung/_info": Probe("/api/v1/bukti_dukung/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/bukti_dukung/": Probe(
        "/api/v1/bukti_dukung/",
        (201, 403, 403, 403),
        "realisasi",
        body={"realisasi_id": "{realisasi}", "url": "https://contoh.dumaikota.go.id/api"},
    ),
    "DELETE /api/v1/bukti_dukung/<pk>": Probe(
        "/api/v1/bukti_dukung/{bukti}", (200, 403, 403, 403), "bukti"
    ),
    "GET /api/v1/umpan_balik/": Probe(
        f"/api/v1/umpan_balik/{q('skp_id', '{skp}')}", EVERYONE, shows="pesan"
    ),
    "GET /api/v1/umpan_balik/<int:pk>": Probe(
        "/api/v1/umpan_balik/{umpan_balik}", EVERYONE, "umpan_balik", shows="pesan"
    ),
    "GET /api/v1/umpan_balik/_info": Probe("/api/v1/umpan_balik/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/umpan_balik/": Probe(
        "/api/v1/umpan_balik/",
        (201, 201, 403, 403),
        "skp",
        body={"skp_id": "{skp}", "pesan": "Lewat API"},
    ),
    # --- REST: predikat organisasi (admin BKPSDM writes; the pimpinan OPD reads) ----------
    "GET /api/v1/predikat_organisasi/": Probe(
        f"/api/v1/predikat_organisasi/{q('unit_kerja_id', '{unit}')}",
        OPD_HEADS,
        shows="penetapan",
    ),
    "GET /api/v1/predikat_organisasi/<int:pk>": Probe(
        "/api/v1/predikat_organisasi/{predikat_organisasi}",
        OPD_HEADS,
        "predikat_organisasi",
        shows="penetapan",
    ),
    "GET /api/v1/predikat_organisasi/_info": Probe(
        "/api/v1/predikat_organisasi/_info", OPD_HEADS, hidden=SAME
    ),
    "POST /api/v1/predikat_organisasi/": Probe(
        "/api/v1/predikat_organisasi/",
        (403, 403, 403, 201),
        "unit",
        body={
            "unit_kerja_id": "{unit}",
            "periode_id": "{periode}",
            "predikat": "istimewa",
            "nomor_penetapan": "800/BKPSDM/2026/001",
        },
    ),
    "PUT /api/v1/predikat_organisasi/<pk>": Probe(
        "/api/v1/predikat_organisasi/{predikat_organisasi}",
        ADMIN_ONLY,
        "predikat_organisasi",
        body={"predikat": "kurang", "nomor_penetapan": "800/BKPSDM/2026/002"},
    ),
    "DELETE /api/v1/predikat_organisasi/<pk>": Probe(
        "/api/v1/predikat_organisasi/{predikat_organisasi}", ADMIN_ONLY, "predikat_organisasi"
    ),
    # --- REST: Plt/Plh assignments (admin BKPSDM writes; each reads their own, in scope) --
    "GET /api/v1/penugasan/": Probe(
        f"/api/v1/penugasan/{q('pegawai_id', '{pegawai}')}", EVERYONE, shows="nomor_sk"
    ),
    "GET /api/v1/penugasan/<int:pk>": Probe(
        "/api/v1/penugasan/{penugasan}", EVERYONE, "penugasan", shows="nomor_sk"
    ),
    "GET /api/v1/penugasan/_info": Probe("/api/v1/penugasan/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/penugasan/": Probe(
        "/api/v1/penugasan/",
        (403, 403, 403, 201),
        body={
            "pegawai_id": "{pegawai}",
            "menggantikan_id": "{atasan}",
            "jenis": "plh",
            "tanggal_mulai": "2299-01-01",
            "tanggal_selesai": "2299-01-05",
            "nomor_sk": "800/PLH/API",
        },
        world=MASTER,
    ),
    "PUT /api/v1/penugasan/<pk>": Probe(
        "/api/v1/penugasan/{penugasan}",
        (403, 403, 403, 200),
        "penugasan",
        body={"nomor_sk": "800/PLH/UBAH"},
        world=MASTER,
    ),
    "DELETE /api/v1/penugasan/<pk>": Probe(
        "/api/v1/penugasan/{penugasan}", (403, 403, 403, 200), "penugasan", world=MASTER
    ),
    # --- REST: pegawai (scoped master data) -----------------------------------------------
    "GET /api/v1/pegawai/": Probe(
        f"/api/v1/pegawai/{q('nip', chr(39) + '{nip}' + chr(39))}", EVERYONE, shows="nip"
    ),
    "GET /api/v1/pegawai/<int:pk>": Probe(
        "/api/v1/pegawai/{pegawai}", EVERYONE, "pegawai", shows="nip"
    ),
    "GET /api/v1/pegawai/_info": Probe("/api/v1/pegawai/_info", EVERYONE, hidden=SAME),
    "POST /api/v1/pegawai/": Probe(
        "/api/v1/pegawai/",
        (403, 403, 403, 201),
        body={
            "nip": "{nip_baru}",
            "nama": "Pegawai Baru",
            "jenis_asn": "pns",
            "unit_kerja_id": "{bidang}",
        },
        world=MASTER,
    ),
    "PUT /api/v1/pegawai/<pk>": Probe(
        "/api/v1/pegawai/{rekan}",
        (403, 403, 403, 200),
        "rekan",
        body={"nama": "Rekan Diubah"},
        world=MASTER,
    ),
    "DELETE /api/v1/pegawai/<pk>": Probe(
        "/api/v1/pegawai/{rekan}", (403, 403, 403, 200), "rekan", world=MASTER
    ),
    # Mutasi: admin BKPSDM moves the staff (approved SKP) to another unit and jabatan today;
    # the page's form posts the same transfer.
    "POST /api/v1/pegawai/<int:pk>/mutasi": Probe(
        "/api/v1/pegawai/{pegawai}/mutasi", ADMIN_ONLY, "pegawai", body=MUTASI
    ),
    "POST /pegawaiview/mutasi/<int:pk>": Probe(
        "/pegawaiview/mutasi/{pegawai}", ADMIN_REDIRECT, "pegawai", body=MUTASI
    ),
    **model_api(
        "unit_kerja",
        "kosong",
        {"kode": "UJI-{nip_baru}", "nama": "Unit Baru", "jenis": "seksi", "parent_id": "{bidang}"},
        {"nama": "Seksi Diubah"},
    ),
    **model_api(
        "jabatan",
        "jabatan",
        {"nama": "Jabatan {nip_baru}", "jenis": "pelaksana"},
        {"nama": "Jabatan Diubah {nip_baru}"},
    ),
    **model_api(
        "pangkat",
        "pangkat",
        {"kode": "{kode_baru}", "nama": "Pangkat Baru", "jenis_asn": "pns", "urutan": 901},
        {"nama": "Pangkat Diubah"},
    ),
    **model_api(
        "periode",
        "periode_baru",
        {
            "tahun": 2299,
            "jenis": "tahunan",
            "tanggal_mulai": "2299-12-31",
            "tanggal_selesai": "2299-01-01",
            "aktif": False,
        },
        {"aktif": False, "tanggal_selesai": "{periode_baru_tahun}-12-30"},
        read_kind="periode",
        # Admin's new periode ends before it starts: refused, so no stray year is left behind.
        post_answer=422,
    ),
    # --- HTML master data (SikapModelView) ------------------------------------------------
    **model_view(
        "pegawaiview",
        "rekan",
        EVERYONE,
        add={
            "nip": "{nip_baru}",
            "nama": "Pegawai Baru",
            "jenis_asn": "pns",
            "unit_kerja": "{bidang}",
            "aktif": "y",
        },
        edit={
            "nip": "{rekan_nip}",
            "nama": "Rekan Diubah",
            "jenis_asn": "pns",
            "unit_kerja": "{bidang}",
            "atasan": "{atasan}",
            "aktif": "y",
        },
        action="create_account",
        list_query="?_flt_0_nip={nip}",
        shows="nip",
        hidden=None,
        read_kind="pegawai",
    ),
    **model_view(
        "unitkerjaview",
        "kosong",
        OPD_HEADS,
        add={"kode": "UJI-{nip_baru}", "nama": "Unit Baru", "jenis": "seksi", "parent": "{bidang}"},
        edit={
            "kode": "{kosong_kode}",
            "nama": "Seksi Diubah",
            "jenis": "seksi",
            "parent": "{bidang}",
        },
    ),
    **model_view(
        "jabatanview",
        "jabatan",
        OPD_HEADS,
        add={"nama": "Jabatan {nip_baru}", "jenis": "pelaksana"},
        edit={"nama": "Jabatan Diubah {nip_baru}", "jenis": "pelaksana"},
    ),
    **model_view(
        "pangkatview",
        "pangkat",
        OPD_HEADS,
        add={"kode": "{kode_baru}", "nama": "Pangkat Baru", "jenis_asn": "pns", "urutan": "902"},
        edit={
            "kode": "{pangkat_kode}",
            "nama": "Pangkat Diubah",
            "jenis_asn": "pns",
            "urutan": "903",
        },
    ),
    **model_view(
        "periodeview",
        "periode_baru",
        OPD_HEADS,
        add={
            "tahun": "2299",
            "jenis": "tahunan",
            "tanggal_mulai": "2299-12-31",
            "tanggal_selesai": "2299-01-01",
        },
        edit={
            "tahun": "{periode_baru_tahun}",
            "jenis": "tahunan",
            "tanggal_mulai": "{periode_baru_tahun}-01-01",
            "tanggal_selesai": "{periode_baru_tahun}-12-30",
        },
        read_kind="periode",
        add_answer=200,  # the form again: the new periode ends before it starts
    ),
    **model_view(
        "penugasanview",
        "penugasan",
        ADMIN_ONLY,
        add={
            "pegawai": "{pegawai}",
            "jenis": "plh",
            "menggantikan": "{atasan}",
            "tanggal_mulai": "2299-02-01",
            "tanggal_selesai": "2299-02-05",
            "nomor_sk": "800/PLH/HALAMAN",
        },
        edit={
            "pegawai": "{pegawai}",
            "jenis": "plh",
            "menggantikan": "{atasan}",
            "tanggal_mulai": "2299-03-01",
            "tanggal_selesai": "2299-03-02",
            "nomor_sk": "800/PLH/DIUBAH",
        },
        hidden=403,
    ),
    # --- pickers: search-as-you-type for related rows, scoped like the list they come from -
    "GET /pegawaiview/pilih": Probe("/pegawaiview/pilih?q={nip}", EVERYONE, shows="nip"),
    "GET /unitkerjaview/pohon/": Probe("/unitkerjaview/pohon/", ADMIN_ONLY),
    "GET /unitkerjaview/pilih": Probe(
        "/unitkerjaview/pilih?q={kosong_kode}", OPD_HEADS, shows="kosong_nama", hidden=SAME
    ),
    "GET /jabatanview/pilih": Probe(
        "/jabatanview/pilih?q={jabatan_nama}", OPD_HEADS, shows="jabatan_nama", hidden=SAME
    ),
    "GET /users/pilih": Probe("/users/pilih?q={nip}", ADMIN_ONLY, shows="nip", hidden=403),
    # --- FAB security pages (admin BKPSDM only) -------------------------------------------
    **security_view(
        "users",
        "akun",
        add={
            "first_name": "Baru",
            "last_name": "Akun",
            "username": "baru-{nip_baru}",
            "email": "{nip_baru}@test.invalid",
            "active": "y",
            "roles": "{peran}",
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
        edit={
            "first_name": "Diubah",
            "last_name": "Akun",
            "username": "{akun_username}",
            "email": "{akun_username}@test.invalid",
            "active": "y",
            "roles": "{peran}",
        },
    ),
    **security_view(
        "roles", "peran", add={"name": "peran-{nip_baru}"}, edit={"name": "{peran_name}-x"}
    ),
    **security_view(
        "groups",
        "grup",
        add={"name": "grup-{nip_baru}", "label": "Grup Baru"},
        edit={"name": "{grup_name}", "label": "Grup Diubah"},
    ),
}


# --- how a probe is made and judged ----------------------------------------------------------


def route_keys(app: Any) -> dict[str, Any]:
    """Every "METHOD /rule" of the application, with its rule."""
    return {
        f"{method} {rule.rule}": rule
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    }


def method_of(key: str) -> str:
    return key.split(" ", 1)[0]


def writes(key: str, probe: Probe) -> bool:
    return probe.writes if probe.writes is not None else method_of(key) != "GET"


def via(probe: Probe) -> str:
    return "api" if probe.url.startswith("/api/") else "html"


def fill(template: Any, values: dict[str, Any]) -> Any:
    """A URL or body template with the Bundle's ids; "{name}" alone keeps the value's type."""
    if template is FILE:
        return io.BytesIO(PDF + b"%%EOF\n"), "bukti-baru.pdf"
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, tuple):
        return tuple(fill(value, values) for value in template)
    if not isinstance(template, str):
        return template
    names = re.findall(r"\{(\w+)\}", template)
    missing = [name for name in names if values.get(name) is None]
    assert not missing, f"the world has no {missing} for {template!r}"
    whole = re.fullmatch(r"\{(\w+)\}", template)
    return values[whole.group(1)] if whole else template.format(**values)


def body_text(response: Any) -> str:
    """What a person would read in the answer: the page, the JSON, the file, the workbook."""
    if response.mimetype == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if response.mimetype == "application/pdf":
        # A rendered document as a person reads it; an uploaded bukti dukung (the world's
        # bytes are no complete PDF) as the bytes it holds.
        try:
            pages = pypdf.PdfReader(io.BytesIO(response.get_data())).pages
            return "\n".join(page.extract_text() for page in pages)
        except pypdf.errors.PdfReadError:
            return response.get_data().decode("utf-8", "replace")
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data().decode("utf-8", "replace")


class Sessions:
    """One browser session and one JWT per username, made on first use (a login costs a
    password check); flashes are read off the session after every page."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._html: dict[str, Any] = {}
        self._api: dict[str, tuple[Any, dict[str, str]]] = {}
        self._passwords: dict[str, str] = {}  # those a probe changed

    def html(self, username: str) -> Any:
        if username not in self._html:
            client = self.app.test_client()
            password = self._passwords.get(username, PASSWORD)
            response = client.post("/login/", data={"username": username, "password": password})
            assert response.status_code == 302, f"login of {username} failed"
            self._html[username] = client
        return self._html[username]

    def api(self, username: str) -> tuple[Any, dict[str, str]]:
        if username not in self._api:
            client = self.app.test_client()
            response = client.post(
                "/api/v1/security/login",
                json={
                    "username": username,
                    "password": self._passwords.get(username, PASSWORD),
                    "provider": "db",
                },
            )
            assert response.status_code == 200, response.get_json()
            token = response.get_json()["access_token"]
            self._api[username] = (client, {"Authorization": f"Bearer {token}"})
        return self._api[username]

    def call(self, username: str | None, key: str, probe: Probe, values: dict) -> tuple[Any, Any]:
        """(the answer, its outcome: the status, or FLASH for a refused redirect)."""
        method = method_of(key).lower()
        url = fill(probe.url, values)
        body = fill(probe.body, values)
        if body is not None and url == "/resetmypassword/form":
            body = {**body, "current_password": self._passwords.get(username, PASSWORD)}
        as_form = probe.form if probe.form is not None else via(probe) == "html"
        kwargs: dict[str, Any] = {}
        if body is not None:
            if as_form:
                kwargs["data"] = {k: v if isinstance(v, tuple) else str(v) for k, v in body.items()}
            else:
                kwargs["json"] = body
        if username is None:
            client = self.app.test_client()
        elif via(probe) == "api":
            client, headers = self.api(username)
            kwargs["headers"] = headers
        else:
            client = self.html(username)
        response = getattr(client, method)(url, **kwargs)
        outcome: Any = response.status_code
        if username is not None and via(probe) == "html":
            with client.session_transaction() as session:
                flashed = session.pop("_flashes", [])
            if outcome == 302 and any(category == "danger" for category, _ in flashed):
                outcome = FLASH
        if username and body and outcome == 302 and url == "/resetmypassword/form":
            self._passwords[username] = body["password"]
            self._api.pop(username, None)  # a new password ends the account's tokens
        if username and outcome == 200 and url == "/api/v1/sesi/keluar":
            self._api.pop(username, None)  # signing out ends every session and token
            self._html.pop(username, None)
        return response, outcome


def usernames(world: World) -> dict[str, str]:
    return {
        "staff": world.staff,
        "atasan": world.atasan,
        "pimpinan": world.pimpinan,
        "admin": "admin",
    }


def hidden_expected(probe: Probe, key: str, role: str) -> set[Any]:
    """The answers allowed for ``role`` on a row outside its scope."""
    base = probe.expect[ROLES.index(role)]
    hidden = probe.hidden
    if hidden == SAME or (hidden is None and probe.kind is None):
        return {base}
    if isinstance(hidden, tuple):
        return {hidden[ROLES.index(role)]}
    if isinstance(hidden, (set, frozenset)):
        return set(hidden)
    if hidden is not None:
        return {hidden}
    if not writes(key, probe):
        return {403} if base == 403 else {404}
    return {403, 404}


def leaks(response: Any, bundle: Bundle, request: Any) -> list[str]:
    """The bundle's secrets in an answer, leaving out what the request itself named (a NIP
    typed in a search box comes back in that box). A redirect carries no row: its body is
    not read (FAB may send a browser back to a URL it asked for earlier)."""
    if 300 <= response.status_code < 400:
        return []
    asked = repr(request)
    text = body_text(response)
    return [
        name for name, secret in bundle.secrets.items() if secret in text and secret not in asked
    ]


def secret_shown(response: Any, text: str, secret: str) -> bool:
    """The staff's row is in the answer: its token in the text, or a JSON list not empty."""
    if response.is_json and isinstance(response.get_json(), dict):
        count = response.get_json().get("count")
        if count is not None:
            return count > 0
    return secret in text


@pytest.fixture(scope="module")
def upload_folder(app, tmp_path_factory):  # noqa: ANN001, ANN201
    before = app.config.get("UPLOAD_FOLDER")
    app.config["UPLOAD_FOLDER"] = str(tmp_path_factory.mktemp("authz-uploads"))
    yield
    app.config["UPLOAD_FOLDER"] = before


@pytest.fixture(scope="module")
def home(app, upload_folder) -> Iterator[World]:  # noqa: ANN001
    """The OPD whose staff's rows every role reads, and whose colleague's rows the staff must
    not reach."""
    world = build_world(app, "full", with_rekan=True, throwaway=True)
    yield world
    remove_master_rows(app, world.bundle)


@pytest.fixture(scope="module")
def away(app, upload_folder) -> Iterator[World]:  # noqa: ANN001
    """Another OPD: its staff's rows are outside the scope of everyone but admin BKPSDM."""
    world = build_world(app, "full", throwaway=True)
    yield world
    remove_master_rows(app, world.bundle)


@pytest.fixture(scope="module")
def sessions(app) -> Iterator[Sessions]:  # noqa: ANN001
    """The signed-in clients; admin's own account (name, password), which the probes of the
    profile pages change, is put back for the modules that follow."""
    from flask_appbuilder.security.sqla.models import User

    from app.extensions import db

    with app.app_context():
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        kept = admin.first_name, admin.last_name, admin.password
    yield Sessions(app)
    with app.app_context():
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        admin.first_name, admin.last_name, admin.password = kept
        db.session.commit()


def hidden_bundle(role: str, home: World, away: World) -> Bundle:
    """The staff's colleague for the staff; the other OPD's staff for everyone else."""
    return home.rekan_bundle if role == "staff" else away.bundle


# --- the table covers the application -----------------------------------------------------


def test_every_route_is_classified(app):
    keys = route_keys(app)
    unclassified = sorted(key for key in keys if key not in ROUTES and key not in PUBLIC)
    assert not unclassified, "new route(s) with no expectation in ROUTES: " + ", ".join(
        unclassified
    )
    gone = sorted(key for key in (*ROUTES, *PUBLIC) if key not in keys)
    assert not gone, "ROUTES/PUBLIC name route(s) that no longer exist: " + ", ".join(gone)
    assert not set(ROUTES) & PUBLIC


def test_every_probe_reaches_the_route_it_classifies(app):
    keys = route_keys(app)
    values = {name: 7 for name in Bundle.__dataclass_fields__} | {
        "nip": "199001012015011001",
        "today": "2026-01-02",
    }
    adapter = app.url_map.bind("localhost")
    for key, probe in ROUTES.items():
        path = probe.url.format_map(_Any(values)).split("?", 1)[0]
        endpoint, _ = adapter.match(path, method=method_of(key))
        assert endpoint == keys[key].endpoint, (key, path, endpoint)


class _Any(dict):
    def __missing__(self, key: str) -> Any:
        return 7


# --- nobody signed in -------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_anonymous_gets_no_data_from_any_route(app, sessions, home, key):
    probe = ROUTES[key]
    response, outcome = sessions.call(None, key, probe, home.bundle.values())
    if via(probe) == "api":
        assert outcome == 401, (key, outcome)
    elif outcome == 302:
        assert "/login" in response.headers["Location"], key
    else:
        # JSON routes of views answer 401; an action route looks its action up first (404).
        assert outcome in (401, 403, 404), (key, outcome)
    assert not leaks(response, home.bundle, fill((probe.url, probe.body), home.bundle.values()))


# --- the staff's row, role by role -----------------------------------------------------------


def _judge(key: str, probe: Probe, role: str, response: Any, outcome: Any, bundle: Bundle) -> None:
    expected = probe.expect[ROLES.index(role)]
    assert outcome == expected, f"{key} as {role}: {outcome}, expected {expected}"
    if probe.shows and outcome == 200 and role in (probe.shown_to or ROLES):
        secret = {**bundle.names, **bundle.secrets}[probe.shows]
        assert secret_shown(response, body_text(response), secret), f"{key} as {role}"


@pytest.mark.parametrize("key", sorted(k for k, p in ROUTES.items() if not writes(k, p)))
def test_read_on_the_staff_row(app, sessions, home, key):
    probe = ROUTES[key]
    names = usernames(home)
    for role in ROLES:
        response, outcome = sessions.call(names[role], key, probe, home.bundle.values())
        _judge(key, probe, role, response, outcome, home.bundle)


@pytest.mark.parametrize("key", sorted(k for k, p in ROUTES.items() if writes(k, p)))
def test_write_on_the_staff_row(app, sessions, upload_folder, key):
    """Refusals first, on one fresh world, each leaving the rows as they were; then each role
    that may act, on a fresh world of its own (one change must not hide the next)."""
    probe = ROUTES[key]
    refused = [r for r in ROLES if probe.expect[ROLES.index(r)] not in WORKS]
    working = [r for r in ROLES if probe.expect[ROLES.index(r)] in WORKS]
    world = build_world(app, probe.world)
    try:
        for role in refused:
            before = fingerprint(app, world.bundle)
            response, outcome = sessions.call(
                usernames(world)[role], key, probe, world.bundle.values()
            )
            _judge(key, probe, role, response, outcome, world.bundle)
            assert fingerprint(app, world.bundle) == before, f"{key} as {role} changed rows"
        for index, role in enumerate(working):
            if index:
                remove_master_rows(app, world.bundle)
                world = build_world(app, probe.world)
            response, outcome = sessions.call(
                usernames(world)[role], key, probe, world.bundle.values()
            )
            _judge(key, probe, role, response, outcome, world.bundle)
    finally:
        remove_master_rows(app, world.bundle)


# --- a row outside the scope -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES[:3])
@pytest.mark.parametrize("key", sorted(ROUTES))
def test_row_outside_the_scope(app, sessions, home, away, key, role):
    probe = ROUTES[key]
    hidden = hidden_bundle(role, home, away)
    before = fingerprint(app, hidden) if writes(key, probe) else None
    response, outcome = sessions.call(usernames(home)[role], key, probe, hidden.values())
    allowed = hidden_expected(probe, key, role)
    assert outcome in allowed, f"{key} as {role} on a hidden row: {outcome}, allowed {allowed}"
    leaked = leaks(response, hidden, fill((probe.url, probe.body), hidden.values()))
    assert not leaked, f"{key} as {role} shows the hidden row's {leaked}"
    if before is not None:
        assert fingerprint(app, hidden) == before, f"{key} as {role} changed a hidden row"


# --- report files ------------------------------------------------------------------------------

REPORT_FILES = ["pegawai.xlsx", "status_skp.xlsx", "predikat.xlsx", "kepatuhan.xlsx",
                "siasn.xlsx", "siasn.csv", "angka_kredit.xlsx"]  # fmt: skip


def test_report_files_are_the_ones_offered(app):
    from app.reports.laporan import REPORTS

    offered = sorted(
        f"{jenis}.{ext}" for jenis, report in REPORTS.items() for ext in report.writers
    )
    assert offered == sorted(REPORT_FILES)


@pytest.mark.parametrize("base", ["/laporan", "/api/v1/laporan"])
@pytest.mark.parametrize("name", REPORT_FILES)
@pytest.mark.parametrize("role", ["atasan", "pimpinan"])
def test_report_files_hold_no_row_outside_the_scope(sessions, home, away, role, name, base):
    """Every report, as a page download and over the API, for the whole scope and for the
    viewer's own OPD: another OPD's staff (NIP, name) and the OPD itself are not in the file;
    the roster and the SKP status list the viewer's own staff."""
    username = usernames(home)[role]
    hidden = away.bundle
    for query in ("", f"?unit_kerja_id={home.bundle.unit}"):
        url = f"{base}/{name}{query}"
        if base.startswith("/api/"):
            client, headers = sessions.api(username)
            response = client.get(url, headers=headers)
        else:
            response = sessions.html(username).get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = body_text(response)
        for secret in (hidden.nip, hidden.secrets["nama"], hidden.names["opd_nama"]):
            assert secret not in text, (url, secret)
        if name in ("pegawai.xlsx", "status_skp.xlsx"):
            assert home.bundle.nip in text, url


def test_admin_report_files_hold_every_opd(sessions, home, away):
    """The check above can fail: the same files for admin BKPSDM name both OPDs' staff."""
    for base in ("/laporan", "/api/v1/laporan"):
        if base.startswith("/api/"):
            client, headers = sessions.api("admin")
            response = client.get(f"{base}/pegawai.xlsx", headers=headers)
        else:
            response = sessions.html("admin").get(f"{base}/pegawai.xlsx")
        text = body_text(response)
        assert home.bundle.nip in text and away.bundle.nip in text


# --- regressions found by the table ------------------------------------------------------------


def action_routes(app: Any) -> list[str]:
    return sorted(
        rule.rule.replace("<string:name>", "tidak_ada").replace("<pk>", "1")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.endswith((".action", ".action_post"))
    )


@pytest.mark.parametrize("who", ["admin", None])
def test_an_unknown_action_answers_404_not_500_on_every_model_view(app, sessions, who):
    """FAB's own action routes (audit trail, accounts, roles, groups) looked the action up
    before the permission: an unknown name was an AttributeError, a 500 for anyone."""
    client = sessions.html(who) if who else app.test_client()
    for url in action_routes(app):
        response = client.post(url, data={"action": "tidak_ada", "rowid": "1"})
        assert response.status_code == 404, (url, response.status_code)


def test_no_view_offers_fabs_download_by_file_name(app):
    """FAB's ModelView download route served any file of UPLOAD_FOLDER by name (where the
    bukti dukung are stored) and answered a name not of its own making with a 500."""
    downloads = [r.rule for r in app.url_map.iter_rules() if "download" in r.rule]
    assert downloads == ["/api/v1/bukti_dukung/<int:pk>/download"]


def test_atasan_pejabat_penilai_sees_an_evaluation_only_for_the_objection(app, sessions):
    """The atasan pejabat penilai is outside the org-chart scope of the atasan's staff: the
    evaluation opens to them when it is objected to (to decide it), not before."""
    from tests.factories import approved_evaluations, fill_realisasi

    people, rows = approved_evaluations(app)
    tw1 = rows["tw1"]
    boss = sessions.html(people.boss)
    assert boss.get(f"/penilaian/{tw1}").status_code == 404
    fill_realisasi(app, tw1)
    staff, staff_headers = sessions.api(people.staff)
    atasan, atasan_headers = sessions.api(people.atasan)
    path = f"/api/v1/penilaian/{tw1}"
    assert staff.post(f"{path}/submit", headers=staff_headers).status_code == 200
    rated = atasan.post(f"{path}/rate", json=RATING, headers=atasan_headers)
    assert rated.status_code == 200
    assert boss.get(f"/penilaian/{tw1}").status_code == 404
    objected = staff.post(f"{path}/object", json={"alasan": "Bukti"}, headers=staff_headers)
    assert objected.status_code == 200
    page = boss.get(f"/penilaian/{tw1}")
    assert page.status_code == 200 and people.staff in page.get_data(as_text=True)
    client, headers = sessions.api(people.boss)
    decided = client.post(f"{path}/decide", json={**RATING, "catatan": "Diputus"}, headers=headers)
    assert decided.get_json()["status"] == "final"
    assert boss.get(f"/penilaian/{tw1}").status_code == 200
