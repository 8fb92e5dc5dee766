"""The audit trail reads as BKPSDM staff read (issue 14, item 6): the actor by name and NIP,
tables and fields by their labels, states and actions in Indonesian, times in WIB, no raw JSON
outside the toggle, notices by their text — in the same number of statements per page."""

from __future__ import annotations

import re

from tests.conftest import statements
from tests.factories import chain_with_submitted_skps, skp_with_rhk, viewer_of


def visible_part(html: str) -> str:
    """The page without what the toggles hide (the raw JSON and the fields beyond the row)."""
    return re.sub(r"<details>.*?</details>", "", html, flags=re.S)


def test_an_approval_reads_in_words(app, api, login):
    from app.extensions import db
    from app.models.master import Pegawai

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    client, headers = api(people.atasan)
    approved = client.post(f"/api/v1/skp/{skp_id}/approve", headers=headers)
    assert approved.status_code == 200, approved.get_json()
    atasan = viewer_of(app, people.atasan)

    with app.app_context():
        nama = db.session.get(Pegawai, atasan.pegawai_id).nama_lengkap
    html = login("admin").get("/auditlogview/list/").get_data(as_text=True)
    table = html[html.index("<table") : html.rindex("</table>")]
    shown = visible_part(table)
    # The approver by name, with the NIP under it.
    assert nama in shown and people.atasan in shown
    # Tables, fields and states in Indonesian: the SKP went from Diajukan to Disetujui.
    assert "Diajukan → Disetujui" in shown
    assert "Riwayat SKP" in shown and "Tindakan: Setujui" in shown
    assert "Status sebelum: Diajukan" in shown and "Status sesudah: Disetujui" in shown
    # Times in WIB words, never ISO; no JSON literals outside the toggle.
    assert re.search(r"\d{1,2} \w+ 20\d\d \d\d\.\d\d WIB", shown)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", shown)
    assert "null" not in shown and "true" not in shown and "false" not in shown
    # The notice to the staff reads as its text in Indonesian.
    assert "Pesan: SKP Anda tahun" in shown
    # The raw data is still one click away.
    assert "<details>" in table and "Data mentah" in table


def test_the_page_costs_the_same_statements_whatever_the_actors(app, login):
    client = login("admin")
    client.get("/auditlogview/list/")
    with statements(app) as few:
        client.get("/auditlogview/list/?psize_AuditLogView=10")
    with statements(app) as many:
        client.get("/auditlogview/list/?psize_AuditLogView=50")
    assert len(many) == len(few)


def test_fields_no_page_labels_read_in_indonesian_not_as_fab_prettified_english(app):
    """FAB labels every unlabelled column with its name in English ("Parent", "Path"); the
    audit trail words those fields itself."""
    from flask_babel import force_locale

    from app.views.audit_labels import field_label

    with app.test_request_context(), force_locale("id"):
        labels = [field_label("unit_kerja", f) for f in ("parent_id", "path")]
        labels.append(field_label("pegawai", "user_id"))
        labels.append(field_label("ab_user", "changed_by_fk"))
    assert labels == ["Unit Induk", "Letak dalam pohon unit", "Pengguna", "Diubah oleh"]


def test_the_trails_own_notes_read_by_their_label(app, login):
    """The keyed note that vouches for the rows from before AUDIT_KEY (app.audit, written by
    the migration that brought the check) and the demo loader's note are listed by their
    Indonesian names, not as the raw table names audit_log and demo_data."""
    from app import audit
    from app.extensions import db

    # What the suite's trail really holds (no row from before the key), so the note does not
    # break the chain for the tests that verify it afterwards.
    with app.app_context():
        audit.record_event(
            db.session,
            audit.LEGACY_VOUCH_TABLE,
            {audit.LEGACY_ROWS: [None, 0], audit.LEGACY_HEAD: [None, ""]},
        )
        db.session.commit()
        assert audit.verify_chain(db.session) is None
    admin = login("admin")
    for table, label, field in (
        ("audit_log", "Catatan jejak audit", "Baris sebelum kunci audit: 0"),
        ("demo_data", "Data demo", "Akun"),
    ):
        html = admin.get(f"/auditlogview/list/?_flt_0_table_name={table}").get_data(as_text=True)
        rows = html[html.index("<table") : html.rindex("</table>")]
        rows = re.sub(r"<script.*?</script>", "", rows, flags=re.S)  # the filter form's data
        shown = re.sub(r"<[^>]+>", " ", visible_part(rows))
        assert label in shown and field in shown, table
        assert table not in shown
