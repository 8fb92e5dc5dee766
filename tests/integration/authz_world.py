"""The people and rows the route-by-route authorization tests probe.

A *world* is a fresh OPD at the root of the unit tree: its head (``pimpinan``: role
pimpinan_opd, and the atasan pejabat penilai of the bidang), a bidang with its head
(``atasan``: the pejabat penilai) and two staff (``staff`` and ``rekan``). The staff's SKP is
built through the services up to the state a probe needs, and every kind of row a route can
take hangs off it: RHK, indikator, penilaian, realisasi, bukti dukung (a file and a link),
umpan balik, notifikasi, rencana pengembangan, pelatihan, and the OPD's predikat organisasi
for the year (recorded by admin BKPSDM). Each text a row shows carries a
unique token, so a test can say "this row's content is not in the answer" without guessing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.factories import MANUAL_JPT, jabatan, person, unique_nip, viewer_of

# The states a world's staff SKP can be built to, each one step further than the last.
STATES = (
    "people",  # the chain only: the staff has no SKP yet
    "draft",  # a draft SKP with one RHK (cascading from the atasan's) and one indikator
    "diajukan",  # that SKP submitted
    "full",  # approved; tw1 has a realisasi with a file and a link; feedback, notice, plan
    "penilaian_diajukan",  # tw1 submitted for evaluation
    "penilaian_dinilai",  # tw1 rated by the atasan
    "penilaian_keberatan",  # tw1 objected to by the staff
)
# "master" is "people" plus a throwaway periode, for the admin's edit/delete probes.
MASTER = "master"

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
_serial = itertools.count(1)


def token(kind: str) -> str:
    return f"{kind.upper()}{uuid.uuid4().hex[:10]}"


@dataclass
class Bundle:
    """The ids a URL template can name, and the tokens of the owner's rows.

    ``pegawai`` owns the rows; ``rekan`` is a pegawai of the same side without rows (safe to
    edit or delete); ``unit`` is the OPD, ``bidang`` the owner's unit, ``kosong`` an empty
    unit. Fields a world has not built are None (a probe needing one fails loudly)."""

    pegawai: int
    nip: str
    user: int
    rekan: int
    unit: int
    bidang: int
    kosong: int
    periode_tahunan: int
    periode: int  # tw1
    periode_tw2: int
    jabatan: int
    pangkat: int
    akun: int  # a login account with no pegawai
    peran: int  # a custom FAB role
    grup: int  # a FAB group
    atasan_rhk: int
    nip_baru: str  # a valid NIP nobody has, for "create" probes
    atasan: int  # the owner's atasan (pegawai id)
    today: str
    names: dict[str, str]  # rekan_nip, kosong_kode, pangkat_kode, akun_username, …
    periode_baru: int | None = None
    skp: int | None = None
    rhk: int | None = None
    indikator: int | None = None
    penilaian: int | None = None  # tw1
    tahunan: int | None = None  # the annual evaluation
    realisasi: int | None = None
    bukti: int | None = None  # an uploaded file
    tautan: int | None = None  # a link
    umpan_balik: int | None = None
    notifikasi: int | None = None  # a notice to the owner
    rencana: int | None = None
    pelatihan: int | None = None
    audit: int | None = None  # an audit row about the owner
    catatan: int | None = None  # a login record of the owner's account
    dokumen_skp: int | None = None  # the SKP's approval step, with a signed document
    dokumen_penilaian: int | None = None  # tw1's rating step, with a signed document
    predikat_organisasi: int | None = None  # the OPD's, for the year
    penugasan: int | None = None  # the owner's Plh assignment, ended last year
    secrets: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        skip = ("secrets", "names")
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}
        return {**found, **self.names}


@dataclass
class World:
    """One fresh OPD: usernames of its people and the staff's bundle."""

    staff: str
    atasan: str
    pimpinan: str
    rekan: str
    bundle: Bundle
    rekan_bundle: Bundle | None = None


def _people(app: Any) -> dict[str, Any]:
    """OPD → bidang → atasan → staff, rekan; the OPD head reports to the Sekda."""
    from app.extensions import db
    from app.models.master import Pangkat, UnitKerja
    from app.models.penugasan import Penugasan
    from app.security import roles
    from app.services import org

    with app.app_context():
        session = db.session
        sm = app.appbuilder.sm
        root = session.execute(select(UnitKerja.id).where(UnitKerja.parent_id.is_(None)))
        root_id = root.scalar_one()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()
        # Digits only: a hex suffix ending in e.g. "0be" shows the English word "be" in every
        # unit list, which test_i18n (rightly) reports.
        n = f"{uuid.uuid4().int % 10**8:08d}"

        def unit(kode: str, nama: str, jenis: str, parent_id: int) -> Any:
            made = UnitKerja(kode=kode, nama=nama, jenis=jenis, parent_id=parent_id)
            session.add(made)
            session.flush()
            org.refresh_unit_paths(session, made)
            return made

        opd = unit(f"AUTHZ-{n}", f"Dinas Uji Akses {n}", "dinas", root_id)
        bidang = unit(f"AUTHZ-{n}-B", "Bidang Uji Akses", "bidang", opd.id)
        kosong = unit(f"AUTHZ-{n}-K", "Seksi Kosong", "seksi", bidang.id)

        head = person(
            session,
            f"Kepala Akses {n}",
            opd.id,
            jabatan=jabatan(session, "Kepala Dinas Uji", "jpt"),
            atasan_id=sekda,
        )
        opd.kepala_id = head.id
        atasan = person(
            session,
            f"Kabid Akses {n}",
            bidang.id,
            jabatan=jabatan(session, "Kepala Bidang Uji", "administrator"),
            atasan_id=head.id,
        )
        analis = jabatan(session, "Analis Uji", "pelaksana")
        staff = person(session, f"Staf Akses {n}", bidang.id, jabatan=analis, atasan_id=atasan.id)
        rekan = person(session, f"Rekan Akses {n}", bidang.id, jabatan=analis, atasan_id=atasan.id)
        org.sync_roles(session, [head.id, atasan.id, staff.id, rekan.id])
        # A Plh assignment of each of them, ended last year: rows to read and change that
        # give no one the covered post today (a running one would make the staff an atasan).
        last_year = dt.date.today().year - 1
        plh = {
            who.id: Penugasan(
                pegawai_id=who.id,
                menggantikan_id=atasan.id,
                jenis="plh",
                tanggal_mulai=dt.date(last_year, month, 1),
                tanggal_selesai=dt.date(last_year, month, 14),
                nomor_sk=f"800/PLH/{n}/{who.id}",
            )
            for month, who in ((3, staff), (4, rekan))
        }
        session.add_all(plh.values())

        akun = sm.add_user(
            username=f"akses-{n}",
            first_name="Akun",
            last_name="Tanpa Pegawai",
            email=f"akses-{n}@test.invalid",
            role=[sm.find_role(roles.PEGAWAI)],
            password=PASSWORD,
            commit=False,
        )
        peran = sm.add_role(f"uji-akses-{n}", commit=False)
        grup = sm.add_group(f"uji-akses-{n}", f"Grup Uji {n}", "Grup uji akses", commit=False)
        jabatan_uji = jabatan(session, f"Jabatan Uji Akses {n}", "pelaksana")
        pangkat = Pangkat(kode=f"Z/{n}", nama=f"Pangkat Uji {n}", jenis_asn="pns", urutan=900)
        session.add(pangkat)
        session.flush()
        session.commit()
        return {
            "names": {
                "opd_nama": opd.nama,
                "kosong_kode": kosong.kode,
                "kosong_nama": kosong.nama_lengkap,
                "jabatan_nama": jabatan_uji.nama,
                "pangkat_kode": pangkat.kode,
                "akun_username": akun.username,
                "peran_name": peran.name,
                "grup_name": grup.name,
            },
            "opd": opd.id,
            "bidang": bidang.id,
            "kosong": kosong.id,
            "head": (head.id, head.nip),
            "atasan": (atasan.id, atasan.nip),
            "staff": (staff.id, staff.nip, staff.user_id, staff.nama),
            "rekan": (rekan.id, rekan.nip, rekan.user_id, rekan.nama),
            "penugasan": (plh[staff.id].id, plh[rekan.id].id),
            "nomor_sk": plh[staff.id].nomor_sk,
            "rekan_nomor_sk": plh[rekan.id].nomor_sk,
            "akun": akun.id,
            "peran": peran.id,
            "grup": grup.id,
            "jabatan": jabatan_uji.id,
            "pangkat": pangkat.id,
        }


def _skp_with_rhk(
    session: Any,
    viewer: Any,
    uraian: str,
    indikator: str,
    intervensi_id: int | None = None,
    penugasan_dari: str | None = None,
    submit: bool = False,
) -> tuple[int, int, int]:
    """The viewer's SKP of the active year with one RHK and one indikator, through the
    services (the caller commits)."""
    from app.services import skp as skp_service

    periode = skp_service.active_year(session)
    skp = skp_service.create_skp(session, viewer, periode.id)
    jpt = skp.model == "jpt"  # the JPT form: a perspektif and a manual indikator
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
    ind = skp_service.add_indikator(
        session,
        rhk.id,
        viewer,
        "kuantitas",
        indikator,
        "12",
        "dokumen",
        manual_indikator=MANUAL_JPT if jpt else None,
    )
    if submit:
        skp_service.submit(session, skp.id, viewer)
    return skp.id, rhk.id, ind.id


def _periods(app: Any) -> dict[str, int]:
    from app.extensions import db
    from app.models.master import Periode
    from app.services import skp as skp_service

    with app.app_context():
        tahunan = skp_service.active_year(db.session)
        rows = db.session.execute(
            select(Periode.jenis, Periode.id).where(Periode.tahun == tahunan.tahun)
        ).all()
        return dict(rows)


def build_world(
    app: Any, state: str = "full", with_rekan: bool = False, throwaway: bool = False
) -> World:
    """A fresh OPD whose staff's SKP stands at ``state`` (STATES, or MASTER); with_rekan also
    gives the colleague a full set of rows (World.rekan_bundle); MASTER and throwaway add an
    unused periode (Bundle.periode_baru; remove_master_rows deletes it)."""
    from app.extensions import db
    from app.models.master import Periode

    ids = _people(app)
    periods = _periods(app)
    head_nip, atasan_nip = ids["head"][1], ids["atasan"][1]
    staff_id, staff_nip, staff_user, staff_nama = ids["staff"]
    head, atasan = viewer_of(app, head_nip), viewer_of(app, atasan_nip)
    with app.test_request_context():
        session = db.session
        _, head_rhk, _ = _skp_with_rhk(
            session, head, "Perencanaan dinas", "Dokumen", penugasan_dari="Wali Kota", submit=True
        )
        _, atasan_rhk, _ = _skp_with_rhk(
            session, atasan, "Layanan bidang", "Layanan", intervensi_id=head_rhk, submit=True
        )
        session.commit()
    bundle = Bundle(
        pegawai=staff_id,
        nip=staff_nip,
        user=staff_user,
        rekan=ids["rekan"][0],
        unit=ids["opd"],
        bidang=ids["bidang"],
        kosong=ids["kosong"],
        periode_tahunan=periods["tahunan"],
        periode=periods["tw1"],
        periode_tw2=periods["tw2"],
        jabatan=ids["jabatan"],
        pangkat=ids["pangkat"],
        akun=ids["akun"],
        peran=ids["peran"],
        grup=ids["grup"],
        atasan_rhk=atasan_rhk,
        nip_baru=unique_nip(),
        atasan=ids["atasan"][0],
        penugasan=ids["penugasan"][0],
        today=dt.date.today().isoformat(),
        names={
            **ids["names"],
            "rekan_nip": ids["rekan"][1],
            "kode_baru": f"K{uuid.uuid4().int % 10**8:08d}",
        },
        secrets={"nip": staff_nip, "nama": staff_nama, "nomor_sk": ids["nomor_sk"]},
    )
    world = World(staff_nip, atasan_nip, head_nip, ids["rekan"][1], bundle)
    if state == MASTER or throwaway:
        with app.app_context():
            tahun = 2300 + next(_serial) % 600
            periode = Periode(
                tahun=tahun,
                jenis="tahunan",
                tanggal_mulai=dt.date(tahun, 1, 1),
                tanggal_selesai=dt.date(tahun, 12, 31),
                aktif=False,
            )
            db.session.add(periode)
            db.session.commit()
            bundle.periode_baru = periode.id
            bundle.names["periode_baru_tahun"] = str(tahun)
    if state == MASTER:
        return world
    _owner_rows(app, bundle, state, atasan_nip)
    if with_rekan:
        rekan_id, rekan_nip, rekan_user, rekan_nama = ids["rekan"]
        world.rekan_bundle = replace(
            bundle,
            pegawai=rekan_id,
            nip=rekan_nip,
            user=rekan_user,
            rekan=rekan_id,
            penugasan=ids["penugasan"][1],
            secrets={"nip": rekan_nip, "nama": rekan_nama, "nomor_sk": ids["rekan_nomor_sk"]},
        )
        _owner_rows(app, world.rekan_bundle, "full", atasan_nip)
    return world


def _owner_rows(app: Any, bundle: Bundle, state: str, atasan_nip: str) -> None:
    """The owner's SKP and everything hanging off it, up to ``state``, in one transaction."""
    from app.extensions import db

    if state == "people":
        return
    owner, atasan = viewer_of(app, bundle.nip), viewer_of(app, atasan_nip)
    stages = STATES[STATES.index("draft") : STATES.index(state) + 1]
    with app.test_request_context():
        for stage in stages:
            _STAGES[stage](db.session, bundle, owner, atasan)
        db.session.commit()


def _draft(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    secrets = bundle.secrets
    secrets["uraian"], secrets["indikator"] = token("rhk"), token("iki")
    bundle.skp, bundle.rhk, bundle.indikator = _skp_with_rhk(
        session, owner, secrets["uraian"], secrets["indikator"], intervensi_id=bundle.atasan_rhk
    )


def _diajukan(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    from app.services import skp as skp_service

    skp_service.submit(session, bundle.skp, owner)


def _full(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    """Approved, with a realisasi of tw1 (a file and a link), a message, a notice, a plan, a
    training record and the OPD's predikat organisasi for the year (one per OPD: the
    colleague's rows share it)."""
    from app.models.audit import AuditLog
    from app.models.master import Periode
    from app.models.penilaian import (
        Pelatihan,
        Penilaian,
        PenilaianRiwayat,
        PredikatOrganisasi,
        RencanaPengembangan,
    )
    from app.models.sesi import HALAMAN, KELUAR, CatatanMasuk
    from app.models.skp import SkpRiwayat
    from app.security.scope import Viewer
    from app.services import kurva, notifikasi, realisasi, umpan_balik
    from app.services import penilaian as penilaian_service
    from app.services import skp as skp_service

    secrets = bundle.secrets
    for name in ("catatan", "keterangan", "berkas", "pesan", "notice", "target", "diklat"):
        secrets[name] = token(name)
    skp_service.approve(session, bundle.skp, atasan)
    session.flush()
    bundle.dokumen_skp = _with_signed_document(session, SkpRiwayat, SkpRiwayat.skp_id, bundle.skp)
    evaluations = dict(
        session.execute(
            select(Periode.jenis, Penilaian.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == bundle.skp)
        ).all()
    )
    bundle.penilaian, bundle.tahunan = evaluations["tw1"], evaluations["tahunan"]
    # tw3 rated, its rating step carrying a signed document (no probe acts on tw3).
    tw3 = session.get(Penilaian, evaluations["tw3"])
    realisasi.create(session, owner, bundle.indikator, tw3.periode_id, "8", None)
    penilaian_service.submit(session, tw3.id, owner)
    penilaian_service.rate(session, tw3.id, atasan, "sesuai", "sesuai")
    session.flush()
    bundle.dokumen_penilaian = _with_signed_document(
        session, PenilaianRiwayat, PenilaianRiwayat.penilaian_id, tw3.id
    )
    made = realisasi.create(
        session, owner, bundle.indikator, bundle.periode, "10", secrets["catatan"]
    )
    bundle.realisasi = made.id
    content = PDF + f"% {secrets['berkas']}\n%%EOF\n".encode()
    bundle.bukti = realisasi.add_file(
        session, owner, made.id, io.BytesIO(content), "bukti.pdf", secrets["keterangan"]
    ).id
    bundle.tautan = realisasi.add_link(
        session, owner, made.id, "https://contoh.dumaikota.go.id/bukti", "Tautan bukti"
    ).id
    bundle.umpan_balik = umpan_balik.post(session, bundle.skp, atasan, secrets["pesan"]).id
    notice = notifikasi.notify(
        session,
        bundle.pegawai,
        "uji",
        "Your SKP for %(tahun)s was approved.",
        "/skp/",
        tahun=secrets["notice"],
    )
    plan = RencanaPengembangan(
        pegawai_id=bundle.pegawai,
        jenis="pembinaan",
        status="usulan",
        target=secrets["target"],
        dibuat_pada=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=1),
    )
    training = Pelatihan(
        pegawai_id=bundle.pegawai,
        nama_diklat=secrets["diklat"],
        tanggal_mulai=dt.date.today(),
        jp=4,
    )
    session.add_all([plan, training])
    session.commit()  # the audit trail is written at the commit
    bundle.notifikasi, bundle.rencana, bundle.pelatihan = notice.id, plan.id, training.id
    bundle.audit = session.execute(
        select(func.max(AuditLog.id)).where(
            AuditLog.table_name == "pelatihan", AuditLog.row_id == str(training.id)
        )
    ).scalar()
    sign_out = CatatanMasuk(
        waktu=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        username=f"akun-{owner.user_id}",
        user_id=owner.user_id,
        peristiwa=KELUAR,
        kanal=HALAMAN,
        ip="10.9.9.9",
    )
    session.add(sign_out)
    session.flush()
    bundle.catatan = sign_out.id
    penetapan = session.execute(
        select(PredikatOrganisasi).where(
            PredikatOrganisasi.unit_kerja_id == bundle.unit,
            PredikatOrganisasi.periode_id == bundle.periode_tahunan,
        )
    ).scalar()
    if penetapan is None:
        admin = Viewer(user_id=None, is_admin=True)
        penetapan = kurva.tetapkan(
            session, admin, bundle.unit, bundle.periode_tahunan, "baik", token("penetapan")
        )
    bundle.predikat_organisasi = penetapan.id
    secrets["penetapan"] = penetapan.nomor_penetapan


def _penilaian_diajukan(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    from app.services import penilaian

    penilaian.submit(session, bundle.penilaian, owner)


def _penilaian_dinilai(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    from app.services import penilaian

    penilaian.rate(session, bundle.penilaian, atasan, "di_bawah", "sesuai", "Perlu ditingkatkan")


def _with_signed_document(session: Any, model: Any, parent: Any, parent_id: int) -> int:
    """The latest step of a history, given a signed document as an act on a non-ASN
    official's behalf carries (app.services.atas_nama); returns the step's id."""
    from app.services import atas_nama

    step = session.execute(
        select(model).where(parent == parent_id).order_by(model.id.desc()).limit(1)
    ).scalar_one()
    document = atas_nama.Dokumen(io.BytesIO(PDF + b"%%EOF\n"), "ditandatangani.pdf")
    step.dokumen, step.dokumen_nama = atas_nama.signed_document(session, document, required=True)
    return step.id


def _penilaian_keberatan(session: Any, bundle: Bundle, owner: Any, atasan: Any) -> None:
    from app.services import penilaian

    penilaian.object_(session, bundle.penilaian, owner, "Bukti sudah lengkap")


_STAGES = {
    "draft": _draft,
    "diajukan": _diajukan,
    "full": _full,
    "penilaian_diajukan": _penilaian_diajukan,
    "penilaian_dinilai": _penilaian_dinilai,
    "penilaian_keberatan": _penilaian_keberatan,
}


def remove_master_rows(app: Any, bundle: Bundle) -> None:
    """Delete the throwaway periode of a MASTER world if a probe left it behind."""
    from app.extensions import db
    from app.models.master import Periode

    if bundle.periode_baru is None:
        return
    with app.app_context():
        periode = db.session.get(Periode, bundle.periode_baru)
        if periode is not None:
            db.session.delete(periode)
            db.session.commit()


def fingerprint(app: Any, bundle: Bundle) -> tuple:
    """Everything a refused request must leave as it was: the owner's rows, their states and
    versions, their texts and the owner's notices and account."""
    from flask_appbuilder.security.sqla.models import User

    from app.extensions import db
    from app.models.master import Pegawai
    from app.models.monitoring import BuktiDukung, Notifikasi, Realisasi, UmpanBalik
    from app.models.penilaian import (
        Pelatihan,
        Penilaian,
        PredikatOrganisasi,
        RencanaPengembangan,
    )
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp

    with app.app_context():
        session = db.session

        def rows(query: Any) -> tuple:
            return tuple(tuple(row) for row in session.execute(query).all())

        skp_ids = select(Skp.id).where(Skp.pegawai_id == bundle.pegawai)
        rhk_ids = select(RencanaHasilKerja.id).where(RencanaHasilKerja.skp_id.in_(skp_ids))
        ind_ids = select(IndikatorKinerja.id).where(
            IndikatorKinerja.rencana_hasil_kerja_id.in_(rhk_ids)
        )
        real_ids = select(Realisasi.id).where(Realisasi.indikator_kinerja_id.in_(ind_ids))
        return (
            rows(select(Pegawai.nama, Pegawai.atasan_id, Pegawai.aktif, Pegawai.version_id)
                 .where(Pegawai.id.in_([bundle.pegawai, bundle.rekan])).order_by(Pegawai.id)),
            rows(select(User.first_name, User.password, User.active)
                 .where(User.id.in_([bundle.user, bundle.akun])).order_by(User.id)),
            rows(select(Skp.id, Skp.status, Skp.version_id, Skp.pendekatan)
                 .where(Skp.id.in_(skp_ids)).order_by(Skp.id)),
            rows(select(RencanaHasilKerja.id, RencanaHasilKerja.uraian)
                 .where(RencanaHasilKerja.id.in_(rhk_ids)).order_by(RencanaHasilKerja.id)),
            rows(select(IndikatorKinerja.id, IndikatorKinerja.target)
                 .where(IndikatorKinerja.id.in_(ind_ids)).order_by(IndikatorKinerja.id)),
            rows(select(Penilaian.id, Penilaian.status, Penilaian.predikat, Penilaian.version_id)
                 .where(Penilaian.skp_id.in_(skp_ids)).order_by(Penilaian.id)),
            rows(select(Realisasi.id, Realisasi.nilai, Realisasi.version_id)
                 .where(Realisasi.id.in_(real_ids)).order_by(Realisasi.id)),
            rows(select(BuktiDukung.id).where(BuktiDukung.realisasi_id.in_(real_ids))
                 .order_by(BuktiDukung.id)),
            rows(select(UmpanBalik.id).where(UmpanBalik.skp_id.in_(skp_ids))
                 .order_by(UmpanBalik.id)),
            rows(select(Notifikasi.id, Notifikasi.dibaca_pada)
                 .where(Notifikasi.penerima_id == bundle.pegawai).order_by(Notifikasi.id)),
            rows(select(RencanaPengembangan.id, RencanaPengembangan.status,
                        RencanaPengembangan.target)
                 .where(RencanaPengembangan.pegawai_id == bundle.pegawai)
                 .order_by(RencanaPengembangan.id)),
            rows(select(Pelatihan.id, Pelatihan.nama_diklat, Pelatihan.jp)
                 .where(Pelatihan.pegawai_id == bundle.pegawai).order_by(Pelatihan.id)),
            rows(select(PredikatOrganisasi.id, PredikatOrganisasi.periode_id,
                        PredikatOrganisasi.predikat, PredikatOrganisasi.nomor_penetapan)
                 .where(PredikatOrganisasi.unit_kerja_id == bundle.unit)
                 .order_by(PredikatOrganisasi.id)),
        )  # fmt: skip
