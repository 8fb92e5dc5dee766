"""REST resources of master data (CONTRACT.md, REST API)."""

from __future__ import annotations

from marshmallow import validate

from app.api.base import SikapModelApi
from app.domain import enums
from app.domain.periode import RITME
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.security.datamodel import ScopedInterface


def one_of(values: dict[str, str]) -> validate.Validator:
    # ModelRestApi takes one validator per column (it appends it to the field's list).
    return validate.OneOf(list(values))


class UnitKerjaApi(SikapModelApi):
    resource_name = "unit_kerja"
    datamodel = ScopedInterface(UnitKerja)
    list_columns = ["id", "kode", "nama", "jenis", "parent_id", "nama_lengkap", "kepala_id"]
    show_columns = list_columns
    add_columns = edit_columns = ["kode", "nama", "jenis", "parent_id", "kepala_id"]
    search_columns = ["kode", "nama", "jenis", "parent_id"]
    order_columns = ["id", "kode", "nama", "jenis"]
    validators_columns = {"jenis": one_of(enums.JENIS_UNIT)}


class JabatanApi(SikapModelApi):
    resource_name = "jabatan"
    datamodel = ScopedInterface(Jabatan)
    list_columns = show_columns = ["id", "nama", "jenis", "jenjang"]
    add_columns = edit_columns = ["nama", "jenis", "jenjang"]
    search_columns = ["nama", "jenis", "jenjang"]
    validators_columns = {"jenis": one_of(enums.JENIS_JABATAN)}


class PangkatApi(SikapModelApi):
    resource_name = "pangkat"
    datamodel = ScopedInterface(Pangkat)
    list_columns = show_columns = ["id", "kode", "nama", "jenis_asn", "urutan"]
    add_columns = edit_columns = ["kode", "nama", "jenis_asn", "urutan"]
    search_columns = ["kode", "nama", "jenis_asn"]
    validators_columns = {"jenis_asn": one_of(enums.JENIS_PANGKAT)}


class PeriodeApi(SikapModelApi):
    resource_name = "periode"
    datamodel = ScopedInterface(Periode)
    list_columns = show_columns = [
        "id",
        "tahun",
        "jenis",
        "tanggal_mulai",
        "tanggal_selesai",
        "aktif",
        "ritme",
    ]
    add_columns = edit_columns = [
        "tahun",
        "jenis",
        "tanggal_mulai",
        "tanggal_selesai",
        "aktif",
        "ritme",
    ]
    search_columns = ["tahun", "jenis", "aktif"]
    validators_columns = {
        "jenis": one_of(enums.JENIS_PERIODE),
        "ritme": one_of(RITME),
    }


PEGAWAI_FIELDS = [
    "nip",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "jenis_asn",
    "jenis_kelamin",
    "tanggal_lahir",
    "pangkat_id",
    "tmt_pangkat",
    "jabatan_id",
    "unit_kerja_id",
    "atasan_id",
    "pejabat_penilai_id",
    "penilai_non_asn_nama",
    "penilai_non_asn_jabatan",
    "aktif",
]


class PegawaiApi(SikapModelApi):
    resource_name = "pegawai"
    datamodel = ScopedInterface(Pegawai)
    list_columns = show_columns = ["id", *PEGAWAI_FIELDS]
    add_columns = edit_columns = PEGAWAI_FIELDS
    search_columns = ["nip", "nama", "unit_kerja_id", "atasan_id", "jenis_asn", "aktif"]
    order_columns = ["id", "nip", "nama"]
    validators_columns = {
        "jenis_asn": one_of(enums.JENIS_ASN),
        "jenis_kelamin": one_of(enums.JENIS_KELAMIN),
    }
