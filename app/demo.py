"""Synthetic, deterministic demo data for Kota Dumai (CONTRACT.md: `flask demo-data`).

Builds the OPD tree below the reference units (bidang, seksi, sekolah, puskesmas,
kelurahan), a jabatan catalogue, and N pegawai with valid unique NIPs, pangkat consistent
with their jabatan and a full atasan chain from the Sekda down. Rows are inserted in bulk so
that 100,000 pegawai take seconds, not hours; the audit trail gets one summary row per table.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_appbuilder import Model
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.audit import record_bulk, record_event
from app.bulk_load import advance_id_sequences, bulk_insert
from app.models.master import Jabatan, Pangkat, Pegawai, UnitKerja
from app.security import roles
from app.seed import seed_reference_data
from app.services import org

DEMO_PASSWORD = "dumai2026"
# The audit trail's note that demo data were loaded (insert) or removed (delete): the login
# page names the demo password only while the latest note says loaded (CONTRACT.md). A load's
# note also names how many accounts and pegawai it left and their highest ids (demo_only).
DEMO_MARKER = "demo_data"
NOTED = ("accounts", "pegawai")
SEED = 20261129
WALI_KOTA = ("H. Syamsul Bahri, S.E. (demo)", "Wali Kota Dumai")  # a made-up name

FIRST_NAMES_MALE = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joko",
    "Rahmat",
    "Rizki",
    "Syahrul",
    "Taufik",
    "Yusuf",
    "Zulkifli",
    "Arif",
    "Bambang",
    "Doni",
    "Firman",
    "Heru",
    "Indra",
    "Muhammad",
    "Nasrul",
    "Rudi",
    "Saiful",
    "Wahyu",
]
FIRST_NAMES_FEMALE = [
    "Aisyah",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Rina",
    "Sari",
    "Siti",
    "Wulan",
    "Yuni",
    "Ayu",
    "Desi",
    "Eka",
    "Halimah",
    "Intan",
    "Lina",
    "Mega",
    "Novi",
    "Ratna",
    "Sri",
    "Tuti",
    "Yanti",
]
LAST_NAMES = [
    "Saputra",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Hasibuan",
    "Pratama",
    "Wijaya",
    "Hidayat",
    "Syahputra",
    "Rahman",
    "Kurniawan",
    "Simanjuntak",
    "Pane",
    "Daulay",
    "Tanjung",
    "Putra",
    "Ramadhan",
    "Sembiring",
    "Ginting",
    "Hutapea",
    "Marpaung",
    "Batubara",
    "Effendi",
]
GELAR_BELAKANG = ["S.E.", "S.H.", "S.Kom.", "S.Sos.", "S.Pd.", "S.T.", "M.Si.", "M.M.", "S.Kep."]

KELURAHAN = {
    "KEC-BUKITKAPUR": ["Bagan Besar", "Bukit Kayu Kapur", "Bukit Nenas", "Gurun Panjang"],
    "KEC-DUMAIBARAT": ["Pangkalan Sesai", "Purnama", "Simpang Tetap Darul Ichsan", "Bagan Keladi"],
    "KEC-DUMAIKOTA": ["Dumai Kota", "Bintan", "Laksamana", "Rimba Sekampung", "Sukajadi"],
    "KEC-DUMAISELATAN": ["Bukit Datuk", "Bukit Timah", "Mekar Sari", "Ratu Sima", "Bumi Ayu"],
    "KEC-DUMAITIMUR": [
        "Bukit Batrem",
        "Buluh Kasap",
        "Jaya Mukti",
        "Tanjung Palas",
        "Teluk Binjai",
    ],
    "KEC-MEDANGKAMPAI": ["Guntung", "Mundam", "Pelintung", "Teluk Makmur"],
    "KEC-SUNGAISEMBILAN": [
        "Bangsal Aceh",
        "Basilam Baru",
        "Batu Teritip",
        "Lubuk Gaung",
        "Tanjung Penyembal",
    ],
}
# Dumai's org chart, as the demo builds it, holds a city of up to CITY pegawai. A larger demo
# (a province's size, for `make bench`) has as many more of its working units — schools,
# puskesmas, seksi — in proportion, so that an atasan leads about as many staff as in a city:
# the fixed tree gave one atasan 1,388 direct staff at 100,000 pegawai, a span of control no
# organisation has, and measured that instead of the size of the province.
CITY = 5000

PUSKESMAS = [
    "Dumai Kota",
    "Purnama",
    "Bukit Kapur",
    "Medang Kampai",
    "Sungai Sembilan",
    "Jaya Mukti",
    "Bumi Ayu",
    "Bukit Timah",
    "Pangkalan Sesai",
    "Dumai Barat",
]

# pangkat codes by jabatan kind (PNS); PPPK get a golongan by level instead.
PANGKAT_FOR = {
    "jpt": ["IV/c", "IV/d"],
    "administrator": ["IV/a", "IV/b"],
    "pengawas": ["III/c", "III/d"],
    "pelaksana": ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b"],
    "fungsional_keahlian": ["III/a", "III/b", "III/c", "III/d", "IV/a"],
    "fungsional_keterampilan": ["II/b", "II/c", "II/d", "III/a"],
}
PPPK_GOLONGAN = {
    "fungsional_keahlian": ["IX", "X", "XI"],
    "fungsional_keterampilan": ["V", "VI", "VII"],
    "pelaksana": ["V", "VI", "VII"],
}

STAFF_JABATAN = {
    "default": [
        ("Analis Kebijakan", "fungsional_keahlian", "ahli_pertama"),
        ("Analis Kebijakan", "fungsional_keahlian", "ahli_muda"),
        ("Pengadministrasi Umum", "pelaksana", None),
        ("Pengelola Keuangan", "pelaksana", None),
        ("Analis Sumber Daya Manusia Aparatur", "fungsional_keahlian", "ahli_pertama"),
        ("Arsiparis", "fungsional_keterampilan", "terampil"),
        ("Pranata Komputer", "fungsional_keterampilan", "mahir"),
    ],
    "sekolah": [
        ("Guru", "fungsional_keahlian", "ahli_pertama"),
        ("Guru", "fungsional_keahlian", "ahli_muda"),
        ("Guru", "fungsional_keahlian", "ahli_madya"),
        ("Pengadministrasi Sekolah", "pelaksana", None),
    ],
    "puskesmas": [
        ("Perawat", "fungsional_keterampilan", "terampil"),
        ("Perawat", "fungsional_keahlian", "ahli_pertama"),
        ("Bidan", "fungsional_keterampilan", "terampil"),
        ("Dokter", "fungsional_keahlian", "ahli_muda"),
        ("Apoteker", "fungsional_keahlian", "ahli_pertama"),
    ],
}


@dataclass
class Slot:
    """A place in the org chart waiting for a pegawai."""

    unit_kode: str
    jabatan: tuple[str, str, str | None]
    atasan_slot: int | None
    heads_unit: bool = False
    children: list[int] = field(default_factory=list)


class DemoBuilder:
    def __init__(self, session: Session, pegawai: int, today: date) -> None:
        self.session = session
        self.target = pegawai
        self.today = today
        self.rng = random.Random(SEED)
        self.used_nips: set[str] = set()

    # --- the unit tree --------------------------------------------------------------
    def build_units(self, top: dict[str, UnitKerja]) -> dict[str, UnitKerja]:
        units = dict(top)
        root = next(u for u in top.values() if u.parent_id is None)
        for opd in [u for u in top.values() if u.parent_id == root.id]:
            subunits: list[tuple[str, str, str]] = []
            if opd.jenis == "kecamatan":
                subunits.append((f"{opd.kode}-SEK", f"Sekretariat {opd.nama}", "seksi"))
                for i, name in enumerate(KELURAHAN.get(opd.kode, []), start=1):
                    subunits.append((f"{opd.kode}-KEL{i}", f"Kelurahan {name}", "kelurahan"))
            else:
                prefix = "Bagian" if opd.jenis == "sekretariat" else "Bidang"
                subunits.append((f"{opd.kode}-SEKRE", "Sekretariat", "bidang"))
                for i, name in enumerate(
                    ("Program dan Perencanaan", "Pelayanan", "Pengendalian"), 1
                ):
                    subunits.append((f"{opd.kode}-B{i}", f"{prefix} {name}", "bidang"))
            for kode, nama, jenis in subunits:
                units[kode] = self._unit(kode, nama, jenis, opd)
                seksi = "Subbagian" if opd.jenis == "sekretariat" else "Seksi"
                self._more_seksi(units, units[kode], seksi)
        self._special_units(units)
        return units

    @property
    def copies(self) -> int:
        """How many times over the working units are there (CITY)."""
        return max(1, math.ceil(self.target / CITY))

    def _more_seksi(self, units: dict[str, UnitKerja], parent: UnitKerja, name: str) -> None:
        for number in range(1, self.copies):
            kode = f"{parent.kode}-S{number:02d}"
            units[kode] = self._unit(kode, f"{name} {number}", "seksi", parent)

    def _special_units(self, units: dict[str, UnitKerja]) -> None:
        # Each further copy of the schools and puskesmas under a seksi of its own (as a
        # province's are under branch offices), not all under the one bidang.
        if "DISDIKBUD" in units:
            for copy, parent in enumerate(self._copy_parents(units, "DISDIKBUD-B2")):
                for i in range(copy * 15 + 1, copy * 15 + 16):
                    units[f"SDN{i:03d}"] = self._unit(
                        f"SDN{i:03d}", f"SD Negeri {i:03d} Dumai", "sekolah", parent
                    )
                for i in range(copy * 8 + 1, copy * 8 + 9):
                    units[f"SMPN{i}"] = self._unit(
                        f"SMPN{i}", f"SMP Negeri {i} Dumai", "sekolah", parent
                    )
        if "DINKES" in units:
            for copy, parent in enumerate(self._copy_parents(units, "DINKES-B2")):
                for i, name in enumerate(PUSKESMAS, start=1):
                    number = copy * len(PUSKESMAS) + i
                    nama = f"Puskesmas {name}" + (f" {copy + 1}" if copy else "")
                    units[f"PKM{number:02d}"] = self._unit(
                        f"PKM{number:02d}", nama, "puskesmas", parent
                    )

    def _copy_parents(self, units: dict[str, UnitKerja], bidang: str) -> list[UnitKerja]:
        """The bidang, then its further seksi (_more_seksi): one parent per copy."""
        return [units[bidang], *(units[f"{bidang}-S{n:02d}"] for n in range(1, self.copies))]

    def _unit(self, kode: str, nama: str, jenis: str, parent: UnitKerja) -> UnitKerja:
        unit = UnitKerja(kode=kode, nama=nama, jenis=jenis, parent=parent)
        self.session.add(unit)
        self.session.flush()
        org.refresh_unit_paths(self.session, unit)
        return unit

    # --- the org chart --------------------------------------------------------------
    def plan_slots(self, units: dict[str, UnitKerja]) -> list[Slot]:
        """Heads first (Sekda → kepala OPD → kepala bidang/kelurahan/sekolah), then staff
        spread over the leaf units until the target count is reached."""
        root = next(u for u in units.values() if u.parent_id is None)
        children: dict[int, list[UnitKerja]] = {}
        for unit in units.values():
            if unit.parent_id is not None:
                children.setdefault(unit.parent_id, []).append(unit)
        for siblings in children.values():
            siblings.sort(key=lambda u: u.kode)
        slots: list[Slot] = []
        setda = units["SETDA"]
        slots.append(
            Slot(setda.kode, ("Sekretaris Daerah", "jpt", "pratama"), None, heads_unit=True)
        )
        sekda = 0
        staff_units: list[tuple[UnitKerja, int]] = []
        for opd in children.get(root.id, []):
            if opd.kode == "SETDA":
                head = sekda
            else:
                title = _kepala_title(opd)
                slots.append(
                    Slot(
                        opd.kode,
                        (
                            title,
                            "jpt" if opd.jenis != "kecamatan" else "administrator",
                            "pratama" if opd.jenis != "kecamatan" else None,
                        ),
                        sekda,
                        heads_unit=True,
                    )
                )
                head = len(slots) - 1
            staff_units.append((opd, head))
            self._plan_subtree(opd, head, children, slots, staff_units)
        while len(slots) > self.target and len(slots) > 1:
            slots.pop()
        # Guru and nakes are most of a city's jabatan fungsional: a school or puskesmas takes
        # four staff for each one elsewhere.
        weighted = [
            entry
            for entry in staff_units
            for _ in range(4 if entry[0].jenis in ("sekolah", "puskesmas") else 1)
        ]
        index = 0
        while len(slots) < self.target:
            unit, head = weighted[index % len(weighted)]
            kind = unit.jenis if unit.jenis in STAFF_JABATAN else "default"
            slots.append(Slot(unit.kode, self.rng.choice(STAFF_JABATAN[kind]), head))
            index += 1
        return slots

    def _plan_subtree(
        self,
        unit: UnitKerja,
        head: int,
        children: dict[int, list[UnitKerja]],
        slots: list[Slot],
        staff_units: list[tuple[UnitKerja, int]],
    ) -> None:
        for child in children.get(unit.id, []):
            jenis = (
                "pengawas"
                if child.jenis in ("seksi", "kelurahan", "sekolah", "puskesmas")
                else "administrator"
            )
            if child.jenis == "sekolah":
                jabatan = ("Kepala Sekolah", "fungsional_keahlian", "ahli_madya")
            else:
                jabatan = (_kepala_title(child), jenis, None)
            slots.append(Slot(child.kode, jabatan, head, heads_unit=True))
            child_head = len(slots) - 1
            staff_units.append((child, child_head))
            self._plan_subtree(child, child_head, children, slots, staff_units)

    # --- people ---------------------------------------------------------------------
    def nip(self, pppk: bool) -> tuple[str, date, str]:
        while True:
            lahir = date(1965, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 35))
            age_at_cpns = self.rng.randint(21, 32)
            tmt_year = min(lahir.year + age_at_cpns, self.today.year - 1)
            if pppk:  # PPPK were first appointed in 2019
                tmt_year = max(tmt_year, 2019)
            tmt_month = self.rng.randint(1, 12)
            if date(tmt_year, tmt_month, 1) < date(lahir.year + 18, lahir.month, 1):
                continue
            gender = self.rng.choice("12")
            value = (
                f"{lahir:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender}{self.rng.randint(1, 999):03d}"
            )
            if value not in self.used_nips:
                self.used_nips.add(value)
                return value, lahir, gender

    def person_name(self, gender: str) -> tuple[str, str | None]:
        first = self.rng.choice(FIRST_NAMES_MALE if gender == "1" else FIRST_NAMES_FEMALE)
        name = f"{first} {self.rng.choice(LAST_NAMES)}"
        gelar = self.rng.choice(GELAR_BELAKANG) if self.rng.random() < 0.6 else None
        return name, gelar


def _kepala_title(unit: UnitKerja) -> str:
    if unit.jenis == "kecamatan":
        return f"Camat {unit.nama.removeprefix('Kecamatan ')}"
    if unit.jenis == "kelurahan":
        return f"Lurah {unit.nama.removeprefix('Kelurahan ')}"
    if unit.jenis == "puskesmas":
        return f"Kepala {unit.nama}"
    if unit.jenis in ("dinas", "badan", "satuan", "inspektorat", "sekretariat", "rumah_sakit"):
        return "Inspektur" if unit.jenis == "inspektorat" else f"Kepala {unit.nama}"
    return f"Kepala {unit.nama}"


def demo_data_loaded(session: Session) -> bool:
    """Whether this database holds the demo data (the latest demo note says loaded)."""
    from app.models.audit import AuditLog

    latest = session.execute(
        select(AuditLog.action)
        .where(AuditLog.table_name == DEMO_MARKER)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).scalar()
    return latest == "insert"


def _accounts_and_pegawai(session: Session) -> dict[str, list[int]]:
    """{"accounts": [count, highest id], "pegawai": [count, highest id]} as they are now."""
    from flask_appbuilder.security.sqla.models import User

    found = {}
    for name, model in zip(NOTED, (User, Pegawai), strict=True):
        count, highest = session.execute(select(func.count(model.id), func.max(model.id))).one()
        found[name] = [count, highest or 0]
    return found


def note_demo_load(session: Session, loaded: int) -> None:
    """The note that ends a demo load: ``loaded`` pegawai, and the accounts and pegawai the
    database then holds (count, highest id), every one of them the loader's."""
    changes = {"rows": [None, loaded]}
    changes.update({name: [None, now] for name, now in _accounts_and_pegawai(session).items()})
    record_event(session, DEMO_MARKER, changes)


def demo_only(session: Session) -> bool:
    """Whether the database holds the demo data and nothing else that counts: the latest
    demo note says loaded, and the accounts and pegawai are still the ones it counted (as
    many, none with a higher id: an account or pegawai added since, by hand or by an import,
    makes either differ). Edits of the demo rows themselves do not count: `make run` is for
    trying the app out. A note from before the counts were kept is not enough."""
    from app.models.audit import AuditLog

    latest = session.execute(
        select(AuditLog.action, AuditLog.changes)
        .where(AuditLog.table_name == DEMO_MARKER)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.action != "insert":
        return False
    noted = {name: (latest.changes.get(name) or [None, None])[1] for name in NOTED}
    return noted == _accounts_and_pegawai(session)


def is_empty(session: Session) -> bool:
    return not session.execute(select(Pegawai.id).limit(1)).first()


def load_demo_data(
    session: Session, pegawai: int = 600, today: date | None = None, performance: bool = True
) -> int:
    """Load the demo organisation and ``pegawai`` people into an empty database, with
    SKPs and evaluations in every state unless ``performance`` is off (tests make their own)."""
    from flask import current_app
    from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role

    today = today or date.today()
    builder = DemoBuilder(session, pegawai, today)
    sm = current_app.appbuilder.sm
    sm.create_db()
    units = builder.build_units(seed_reference_data(session, today))
    slots = builder.plan_slots(units)

    jabatan_ids: dict[tuple[str, str, str | None], int] = {
        (j.nama, j.jenis, j.jenjang): j.id for j in session.execute(select(Jabatan)).scalars()
    }
    for key in {slot.jabatan for slot in slots} - set(jabatan_ids):
        jabatan = Jabatan(nama=key[0], jenis=key[1], jenjang=key[2])
        session.add(jabatan)
        session.flush()
        jabatan_ids[key] = jabatan.id
    pangkat = {(p.kode, p.jenis_asn): p.id for p in session.execute(select(Pangkat)).scalars()}

    first_id = (session.execute(select(func.max(Pegawai.id))).scalar() or 0) + 1
    first_user = (session.execute(select(func.max(User.id))).scalar() or 0) + 1
    # The method FAB uses for new passwords (FAB_PASSWORD_HASH_METHOD), so that demo and
    # real accounts cost the same to check.
    password_hash = generate_password_hash(
        DEMO_PASSWORD, method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
    )
    rng = builder.rng
    pegawai_rows, user_rows = [], []
    for index, slot in enumerate(slots):
        kind = slot.jabatan[1]
        pppk = not slot.heads_unit and kind in PPPK_GOLONGAN and rng.random() < 0.15
        nip, lahir, gender = builder.nip(pppk)
        nama, gelar = builder.person_name(gender)
        if pppk:
            pangkat_id = pangkat[(rng.choice(PPPK_GOLONGAN[kind]), "pppk")]
        else:
            pangkat_id = pangkat[(rng.choice(PANGKAT_FOR[kind]), "pns")]
        pegawai_rows.append(
            {
                "id": first_id + index,
                "nip": nip,
                "nama": nama,
                "gelar_depan": "dr." if slot.jabatan[0] == "Dokter" else None,
                "gelar_belakang": gelar,
                "jenis_asn": "pppk" if pppk else "pns",
                "jenis_kelamin": gender,
                "tanggal_lahir": lahir,
                "pangkat_id": pangkat_id,
                "tmt_pangkat": date(today.year - rng.randint(0, 4), rng.choice((4, 10)), 1),
                "jabatan_id": jabatan_ids[slot.jabatan],
                "unit_kerja_id": units[slot.unit_kode].id,
                "atasan_id": None if slot.atasan_slot is None else first_id + slot.atasan_slot,
                "pejabat_penilai_id": None,
                # The top of the chain (the Sekda) is appraised by the Wali Kota, no ASN.
                "penilai_non_asn_nama": WALI_KOTA[0] if slot.atasan_slot is None else None,
                "penilai_non_asn_jabatan": WALI_KOTA[1] if slot.atasan_slot is None else None,
                "aktif": True,
                "user_id": first_user + index,
                "version_id": 1,
            }
        )
        user_rows.append(
            {
                "id": first_user + index,
                "first_name": nama[:64],
                "last_name": "",
                "username": nip,
                "password": password_hash,
                "active": True,
                "email": f"{nip}@sikap.dumaikota.go.id",
                "created_on": today,
                "changed_on": today,
                "created_by_fk": None,
                "changed_by_fk": None,
            }
        )
    bulk_insert(session, User.__table__, user_rows)
    bulk_insert(session, Pegawai.__table__, pegawai_rows)
    advance_id_sequences(session, User.__table__, Pegawai.__table__)
    for slot_index, slot in enumerate(slots):
        if slot.heads_unit:
            units[slot.unit_kode].kepala_id = first_id + slot_index
    session.flush()

    role_ids = {r.name: r.id for r in session.execute(select(Role)).scalars()}
    org_roles = org.org_roles_of(session, [row["id"] for row in pegawai_rows])
    links = [
        {"user_id": row["user_id"], "role_id": role_ids[name]}
        for row in pegawai_rows
        for name in org_roles[row["id"]]
    ]
    bulk_insert(session, assoc_user_role, links)
    record_bulk(session, "ab_user", len(user_rows))
    record_bulk(session, "pegawai", len(pegawai_rows))
    ensure_admin(session, password_hash)
    if performance:
        # Imported here: app.demo_performance builds on this module's helpers.
        from app.demo_performance import load_demo_mutasi, load_demo_performance

        load_demo_performance(session, today)
        load_demo_mutasi(session, today)
        load_demo_plh(session, today)
        load_demo_kualitatif(session)
    # The bulk inserts bypassed the session hook that keeps the counts, open items and JP.
    from app.services import butir, hitungan, jp_tahunan, planner_stats

    planner_stats.after_bulk_load(session)
    hitungan.rebuild(session)
    butir.rebuild(session)
    jp_tahunan.rebuild(session)
    session.flush()
    note_demo_load(session, len(pegawai_rows))
    return len(pegawai_rows)


def load_demo_kualitatif(session: Session) -> int | None:
    """A kualitatif SKP (DOMAIN.md, Organisation realities): one pelaksana's draft becomes
    an SKP whose targets are described in words, and goes through submission and approval
    by their atasan through the workflow, so its capaian show as "—". Returns its id (None
    when the demo has no such draft)."""
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
    from app.security.scope import Viewer
    from app.services import skp as skp_service

    atasan_ready = select(Skp.pegawai_id).where(Skp.status == "disetujui")
    draft = session.execute(
        select(Skp)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .join(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .where(
            Skp.status == "draft",
            Skp.model == "non_jpt",
            Jabatan.jenis == "pelaksana",
            Pegawai.atasan_id.in_(atasan_ready),
            Pegawai.user_id.is_not(None),
        )
        .order_by(Skp.id)
        .limit(1)
    ).scalar()
    if draft is None:
        return None
    draft.pendekatan = "kualitatif"
    indikator = session.execute(
        select(IndikatorKinerja).join(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == draft.id)
    ).scalars()
    for row in indikator:
        row.target = None
        row.target_uraian = f"{row.uraian} tersusun lengkap, tepat waktu dan sesuai standar"
    session.flush()
    owner, penilai = draft.pegawai, draft.pegawai.atasan
    skp_service.submit(session, draft.id, Viewer(owner.user_id, pegawai_id=owner.id))
    skp_service.approve(session, draft.id, Viewer(penilai.user_id, pegawai_id=penilai.id))
    return draft.id


def load_demo_plh(session: Session, today: date) -> int | None:
    """A running Plh (DOMAIN.md, Organisation realities): a head of bidang with SKPs waiting
    for approval is away, and the head of a sibling bidang acts for them through BKPSDM's
    write (app.services.master) — a newcomer who signs in as that head meets the covered
    staff in their inbox. Returns the assignment's id (None when the demo has no such pair)."""
    from app.models.penugasan import Penugasan
    from app.models.skp import Skp
    from app.services import master

    waiting = (
        select(Pegawai.atasan_id)
        .join(Skp, Skp.pegawai_id == Pegawai.id)
        .where(Skp.status == "diajukan")
    )
    away = session.execute(
        select(UnitKerja)
        .where(UnitKerja.jenis == "bidang", UnitKerja.kepala_id.in_(waiting))
        .order_by(UnitKerja.kode)
        .limit(1)
    ).scalar()
    if away is None:
        return None
    sibling = session.execute(
        select(UnitKerja.kepala_id)
        .where(
            UnitKerja.parent_id == away.parent_id,
            UnitKerja.id != away.id,
            UnitKerja.kepala_id.is_not(None),
        )
        .order_by(UnitKerja.kode)
        .limit(1)
    ).scalar()
    if sibling is None:
        return None
    plh = Penugasan(
        pegawai_id=sibling,
        menggantikan_id=away.kepala_id,
        jenis="plh",
        tanggal_mulai=today - timedelta(days=3),
        tanggal_selesai=today + timedelta(days=11),
        nomor_sk=f"800/PLH/BKPSDM/{today.year}/014",
    )
    master.write(session, "add", plh)
    return plh.id


def ensure_admin(session: Session, password_hash: str) -> None:
    """The demo administrator `admin` (role admin_bkpsdm)."""
    from flask import current_app

    sm = current_app.appbuilder.sm
    if sm.find_user(username="admin") is None:
        created = sm.add_user(
            username="admin",
            first_name="Admin",
            last_name="BKPSDM",
            email="admin@sikap.dumaikota.go.id",
            role=sm.find_role(roles.ADMIN),
            hashed_password=password_hash,
            commit=False,
        )
        if not created:  # FAB logs the cause and has already rolled the session back
            raise RuntimeError("The demo administrator could not be created.")


# The tables demo.reset keeps or empties itself (the demo people and their units last).
KEPT_BY_RESET = {"unit_kerja", "jabatan", "pangkat", "periode", "pegawai", "audit_log"}


def reset(session: Session) -> None:
    """Remove demo people, accounts (except administrators), sub-units and jabatan."""
    from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role

    from app.seed import read_csv

    admins = (
        select(assoc_user_role.c.user_id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .where(Role.name == roles.ADMIN)
    )
    removed = session.execute(select(func.count(Pegawai.id))).scalar() or 0
    # Everything the demo people own (SKPs, evaluations, notices, Plt/Plh, riwayat jabatan,
    # …), children before parents; the reference tables and the audit trail stay.
    for table in reversed(Model.metadata.sorted_tables):
        if table.name not in KEPT_BY_RESET and not table.name.startswith("ab_"):
            session.execute(table.delete())
    session.execute(update(UnitKerja).values(kepala_id=None))
    session.execute(update(Pegawai).values(atasan_id=None, pejabat_penilai_id=None, user_id=None))
    session.execute(delete(Pegawai))
    session.execute(delete(assoc_user_role).where(assoc_user_role.c.user_id.not_in(admins)))
    session.execute(delete(User).where(User.id.not_in(admins)))
    reference = [row["kode"] for row in read_csv("unit_kerja_dumai.csv")]
    while session.execute(
        delete(UnitKerja).where(
            UnitKerja.kode.not_in(reference),
            UnitKerja.id.not_in(
                select(UnitKerja.parent_id).where(UnitKerja.parent_id.is_not(None))
            ),
        )
    ).rowcount:
        pass
    session.execute(delete(Jabatan))
    record_bulk(session, "pegawai", removed, action="delete")
    record_bulk(session, DEMO_MARKER, removed, action="delete")
