"""REST resources of master data (CONTRACT.md, REST API)."""

from __future__ import annotations

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.security.decorators import permission_name
from marshmallow import validate
from sqlalchemy.orm.exc import StaleDataError

from app import refusals
from app.api.base import SikapModelApi
from app.domain import enums
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.domain.periode import RITME
from app.extensions import db
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.models.penugasan import Penugasan
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import mutasi as mutasi_service


def one_of(values: dict[str, str]) -> validate.Validator:
    # ModelRestApi takes one validator per column (it appends it to the field's list).
    return validate.OneOf(list(values))


class UnitKerjaApi(SikapModelApi):
    noun = N_("Work Unit")
    resource_name = "unit_kerja"
    datamodel = ScopedInterface(UnitKerja)
    list_columns = ["id", "kode", "nama", "jenis", "parent_id", "nama_lengkap", "kepala_id"]
    show_columns = list_columns
    add_columns = edit_columns = ["kode", "nama", "jenis", "parent_id", "kepala_id"]
    search_columns = ["kode", "nama", "jenis", "parent_id"]
    order_columns = ["id", "kode", "nama", "jenis"]
    validators_columns = {"jenis": one_of(enums.JENIS_UNIT)}


class JabatanApi(SikapModelApi):
    noun = N_("Position")
    resource_name = "jabatan"
    datamodel = ScopedInterface(Jabatan)
    list_columns = show_columns = ["id", "nama", "jenis", "jenjang"]
    add_columns = edit_columns = ["nama", "jenis", "jenjang"]
    search_columns = ["nama", "jenis", "jenjang"]
    validators_columns = {"jenis": one_of(enums.JENIS_JABATAN)}


class PangkatApi(SikapModelApi):
    noun = N_("Rank")
    resource_name = "pangkat"
    datamodel = ScopedInterface(Pangkat)
    list_columns = show_columns = ["id", "kode", "nama", "jenis_asn", "urutan"]
    add_columns = edit_columns = ["kode", "nama", "jenis_asn", "urutan"]
    search_columns = ["kode", "nama", "jenis_asn"]
    validators_columns = {"jenis_asn": one_of(enums.JENIS_PANGKAT)}


class PeriodeApi(SikapModelApi):
    noun = N_("Period")
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
        "batas_realisasi",
        "batas_penilaian",
    ]
    add_columns = edit_columns = [
        "tahun",
        "jenis",
        "tanggal_mulai",
        "tanggal_selesai",
        "aktif",
        "ritme",
        "batas_realisasi",
        "batas_penilaian",
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
    noun = N_("Employee")
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

    @expose("/<int:pk>/mutasi", methods=["POST"])
    @protect()
    @safe
    @permission_name("mutasi")
    def mutasi(self, pk: int) -> Response:
        """Record a transfer (admin BKPSDM): ``{"tanggal", "unit_kerja_id", "jabatan_id",
        "atasan_id"}``, optionally ``nomor_sk``. The SKP of the post left closes the day
        before; answers the new draft SKP (``skp_id``) and what became of the old one."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return refusals.api_response(DomainError(N_("Send a JSON object.")))
        unknown = sorted(set(body) - set(MUTASI_FIELDS))
        if unknown:
            return self.response_422(message={name: ["Unknown field."] for name in unknown})
        try:
            hasil = mutasi_service.catat(
                db.session, scope.viewer(), pk, *(body.get(name) for name in MUTASI_FIELDS)
            )
            db.session.commit()
        except (DomainError, StaleDataError) as error:
            return refusals.api_response(refusals.as_refusal(error))
        return self.response(
            200,
            id=pk,
            riwayat_jabatan_id=hasil.riwayat.id,
            tanggal=hasil.riwayat.tanggal.isoformat(),
            skp_id=hasil.skp_baru.id,
            skp_lama_id=hasil.skp_lama.id if hasil.skp_lama else None,
            periode_tetap=hasil.periode_tetap,
            periode_ditarik=hasil.periode_ditarik,
            bawahan_lama=hasil.bawahan_lama,
        )


# The body of a transfer, in the order app.services.mutasi.catat takes it.
MUTASI_FIELDS = ("tanggal", "unit_kerja_id", "jabatan_id", "atasan_id", "nomor_sk")


class PenugasanApi(SikapModelApi):
    """Plt/Plh assignments (CONTRACT.md, additions of December 2026): admin BKPSDM writes,
    everyone else reads their own (Penugasan.scope_owner)."""

    noun = N_("Acting Assignment")
    resource_name = "penugasan"
    datamodel = ScopedInterface(Penugasan)
    list_columns = show_columns = [
        "id",
        "pegawai_id",
        "menggantikan_id",
        "unit_kerja_id",
        "jenis",
        "tanggal_mulai",
        "tanggal_selesai",
        "nomor_sk",
        "pos",
        "status",
    ]
    add_columns = edit_columns = [
        "pegawai_id",
        "menggantikan_id",
        "unit_kerja_id",
        "jenis",
        "tanggal_mulai",
        "tanggal_selesai",
        "nomor_sk",
    ]
    search_columns = ["pegawai_id", "menggantikan_id", "unit_kerja_id", "jenis", "nomor_sk"]
    order_columns = ["id", "tanggal_mulai", "tanggal_selesai"]
    validators_columns = {"jenis": one_of(enums.JENIS_PENUGASAN)}
