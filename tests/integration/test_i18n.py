"""SIKAP Dumai speaks Indonesian by default on every page a role reaches — Flask-AppBuilder's
own pages, widgets, flashes and validation errors included — and English on request.

A page "leaks" when a word of our English msgids (or of FAB's English UI, or a Python value
such as None) is visible on it: text, tooltips, placeholders, button captions and the
messages FAB's inline scripts show. Code (<code>, scripts themselves) is not read.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
ID_PO = TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po"

# FAB's and WTForms' English UI and Python values printed as they are: never on an
# Indonesian page, whatever the catalogue says.
ENGLISH_UI_WORDS = {
    "list", "search", "add", "edit", "delete", "save", "record", "records", "page", "actions",
    "filter", "login", "username", "password", "user", "users", "back", "show", "previous",
    "next", "cancel", "select", "submit", "welcome", "profile", "logout", "sign", "none",
    "true", "false", "yes", "the", "of", "and", "your", "you", "are", "is", "not", "this",
}  # fmt: skip
ENGLISH_UI_PHRASES = ("No records found", "Are you sure", "This field is required")
# Names and acronyms an Indonesian page rightly shows, though English msgids hold them too.
ALLOWED = {
    "NIP", "PNS", "CPNS", "PPPK", "SIKAP", "Dumai", "BKPSDM", "OPD", "ASN", "TMT", "WIB",
    "IP", "ID", "SKP", "RHK", "English",
}  # fmt: skip
# FAB's pages over its permission tables show permission, view and role names as FAB stores
# them ("can list on PegawaiView"): identifiers, not sentences (roles are code here).
FAB_PERMISSION_VIEWS = (
    "RoleModelView", "PermissionModelView", "ViewMenuModelView", "PermissionViewModelView",
)  # fmt: skip

WORD = re.compile(r"[^\W\d_][\w'’-]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
# The command the audit trail credits with a change made outside a web request
# (audit.attributed_to): "cli:seed", "import:januari.xlsx (admin)", "tests:demo-data".
ACTOR = re.compile(r"\b[a-z]+:\S+")
JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")
ROLES = ("admin", "pimpinan", "atasan", "staff")


def catalogue():  # noqa: ANN201
    with open(ID_PO, "rb") as fileobj:
        return read_po(fileobj, locale="id")


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text)) if len(w) > 1}


def english_vocabulary() -> set[str]:
    """Every word of the English msgids that no Indonesian translation uses (those are
    Indonesian too, or kept on purpose: PNS, Email, Audit, minimal)."""
    english, indonesian = set(), set()
    for message in catalogue():
        if message.id:
            english |= set().union(*map(words, _strings(message.id)))
            indonesian |= set().union(*map(words, _strings(message.string)))
    return (english - indonesian | ENGLISH_UI_WORDS) - {w.lower() for w in ALLOWED}


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "code"}
    SHOWN_ATTRIBUTES = (
        "title",
        "placeholder",
        "data-placeholder",
        "data-confirm",
        "alt",
        "aria-label",
    )

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden.append(tag)
        self.texts += [attributes.get(name) or "" for name in self.SHOWN_ATTRIBUTES]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            # WTForms labels FAB's empty choice "__None"; app/static/sikap/i18n.js shows "—".
            self.texts.append(data.replace("__None", ""))
        elif self._hidden[-1] == "script":
            self.texts += script_messages(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(text.strip() for text in parser.texts if text.strip())


def prose(text: str) -> str:
    """The text without addresses (e-mail, URLs) and audit actors, whose parts are not words
    of a language."""
    return ACTOR.sub(" ", ADDRESS.sub(" ", text))


def script_messages(script: str) -> list[str]:
    """The sentences and HTML fragments an inline script puts in front of the reader:
    confirmations, filter names, the widgets' words."""
    if "window.SIKAP_I18N" in script:  # keyed by FAB's English literals; the values are shown
        payload = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
        return list(strings_in(*payload.values()))
    messages = []
    for single, double in JS_STRING.findall(script):
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), single or double)
        if "<" in text:
            messages.append(visible_text(text))
        elif re.match(r"\s*[A-Z]\w*\s", text):
            messages.append(text)
    return messages


def strings_in(*values: object) -> Iterator[str]:
    """The strings inside JSON values, not the keys."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from strings_in(*value.values())
        elif isinstance(value, list):
            yield from strings_in(*value)


def _compile_stale_catalogues() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as fileobj:
            compiled = read_po(fileobj)
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with open(partial, "wb") as fileobj:
            write_mo(fileobj, compiled)
        os.replace(partial, mo)


def _fab_identifiers(app) -> tuple[list[str], tuple[str, ...]]:  # noqa: ANN001
    """FAB's permission, view and role names, and the pages that list them."""
    from app.extensions import db

    sm = app.appbuilder.sm
    with app.app_context():
        models = (sm.permissionview_model, sm.permission_model, sm.viewmenu_model, sm.role_model)
        names = {str(row) for model in models for row in db.session.query(model)}
    names |= {part for rules in app.config["FAB_ROLES"].values() for rule in rules for part in rule}
    pages = tuple(
        view.route_base for view in app.appbuilder.baseviews
        if type(view).__name__ in FAB_PERMISSION_VIEWS
    )  # fmt: skip
    return sorted(names, key=len, reverse=True), pages


@pytest.fixture(scope="module")
def english_on(app) -> Callable[[str, str], list[str]]:  # noqa: ANN001
    """english_on(url, html) → the English words and phrases a reader sees on the page.

    Compiles a catalogue newer than its .mo first (as `make translations` does) and makes
    the app read the catalogues again, so pages show what the .po files say."""
    from flask_babel import get_babel

    _compile_stale_catalogues()
    with app.app_context():
        get_babel(app).instance.domain_instance.cache.clear()
    vocabulary = english_vocabulary()
    identifiers, permission_pages = _fab_identifiers(app)

    def find(url: str, html: str) -> list[str]:
        text = prose(visible_text(html))
        if url.startswith(permission_pages):
            for name in identifiers:
                text = text.replace(name, " ")
        found = [phrase for phrase in ENGLISH_UI_PHRASES if phrase in text]
        found += sorted({w for w in WORD.findall(text) if w.lower() in vocabulary} - ALLOWED)
        return found

    return find


def _load_extract():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("extract", TRANSLATIONS / "extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the catalogue -----------------------------------------------------------------------


def test_indonesian_catalogue_translates_every_msgid():
    untranslated = [
        message.id
        for message in catalogue()
        if message.id and (message.fuzzy or not all(_strings(message.string)))
    ]
    assert untranslated == [], "untranslated or fuzzy in translations/id: translate them"


def test_indonesian_catalogue_keeps_every_placeholder():
    errors = [(message.id, [str(e) for e in problems]) for message, problems in catalogue().check()]
    assert errors == []


def test_catalogue_holds_every_msgid_the_code_fab_and_wtforms_can_show():
    known = {message.id for message in catalogue()}
    missing = [message.id for message in _load_extract().template() if message.id not in known]
    assert missing == [], "new UI strings: run `make messages` and translate them"


# --- the pages ---------------------------------------------------------------------------


def pages_of(client, app) -> dict[str, str]:  # noqa: ANN001
    """url → HTML of every page the signed-in role reaches: its menu, the list, show, add
    and edit pages of each model view it may open, and its own account pages."""
    from flask import url_for
    from flask_appbuilder import ModelView

    with app.test_request_context():
        menu = [
            entry.get_url()
            for item in app.appbuilder.menu.get_list()
            for entry in (item.childs or [item])
            if entry.name != "-"
        ]
        own = [
            app.appbuilder.get_url_for_userinfo,
            url_for("ResetMyPasswordView.this_form_get"),
            url_for("UserInfoEditView.this_form_get"),
        ]
    views = [view for view in app.appbuilder.baseviews if isinstance(view, ModelView)]
    pages: dict[str, str] = {}

    def visit(url: str) -> str | None:
        if url not in pages:
            response = client.get(url)
            if response.status_code != 200:  # FAB redirects a role away from what it may not see
                return None
            pages[url] = response.get_data(as_text=True)
        return pages[url]

    home = visit("/")
    for url in [url for url in menu if url and f'href="{url}"' in home] + own:
        assert visit(url) is not None, url
    for view in views:
        listing = visit(f"{view.route_base}/list/")
        if listing is None:
            continue
        for kind in ("show", "edit"):
            link = re.search(rf'href="({re.escape(view.route_base)}/{kind}/[^"?]+)', listing)
            if link:
                visit(link.group(1))
        visit(f"{view.route_base}/add")
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_in_indonesian(role, english_on, login, cast, app):  # noqa: ANN001
    pages = pages_of(login(getattr(cast, role)), app)
    leaks = {url: found for url, html in pages.items() if (found := english_on(url, html))}
    assert len(pages) > 4
    assert leaks == {}, "\n".join(f"{url}: {found}" for url, found in leaks.items())


def test_login_page_and_its_errors_are_in_indonesian(english_on, app):  # noqa: ANN001
    client = app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    empty = client.post("/login/", data={}).get_data(as_text=True)
    wrong = client.post(
        "/login/", data={"username": "tidak-terdaftar", "password": "salah"}, follow_redirects=True
    ).get_data(as_text=True)

    assert "Nama Pengguna" in page and "Kata Sandi" in page
    assert "Kolom ini wajib diisi." in visible_text(empty)
    assert "Nama pengguna atau kata sandi salah." in visible_text(wrong)
    for html in (page, empty, wrong):
        assert english_on("/login/", html) == []


INVALID_FORMS = [
    # (url, posted data, what the reader must be told)
    (
        "/pegawaiview/add",
        {"nip": "123", "jenis_asn": "pns", "gelar_depan": "x" * 41, "tanggal_lahir": "kemarin"},
        ["Kolom ini wajib diisi.", "NIP harus terdiri atas 18 digit, bukan 3.",
         "Isian paling banyak 40 karakter.", "Tanggal tidak valid"],
    ),
    ("/periodeview/add", {"tahun": "dua ribu", "jenis": "tw9"}, ["Bilangan bulat tidak valid."]),
    ("/resetmypassword/form", {"password": "a", "conf_password": "b"}, ["Kata sandi harus sama"]),
    ("/userinfoeditview/form", {"first_name": "", "last_name": ""}, ["Kolom ini wajib diisi."]),
]  # fmt: skip


@pytest.mark.parametrize(("url", "data", "expected"), INVALID_FORMS)
def test_validation_errors_are_in_indonesian(url, data, expected, english_on, login, cast):  # noqa: ANN001
    response = login(cast.admin).post(url, data=data)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    for message in expected:
        assert message in visible_text(html)
    assert english_on(url, html) == []


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/unitkerjaview/add", 403, "Akses ditolak"),  # FAB refuses a signed-in user with 403
        ("/pegawaiview/show/999999", 404, "Tidak ditemukan"),
        ("/halaman-yang-tidak-ada", 404, "Tidak ditemukan"),
    ],
)
def test_error_pages_are_in_indonesian(url, status, message, english_on, login, cast):  # noqa: ANN001
    response = login(cast.staff).get(url)
    html = response.get_data(as_text=True)

    assert response.status_code == status
    assert message in visible_text(html)
    assert english_on(url, html) == []


def test_english_stays_available_from_the_language_menu(english_on, login, cast):  # noqa: ANN001
    client = login(cast.staff)
    indonesian = client.get("/").get_data(as_text=True)
    assert 'href="/lang/en"' in indonesian and "English" in visible_text(indonesian)

    client.get("/lang/en")
    english = visible_text(client.get("/").get_data(as_text=True))
    listing = visible_text(client.get("/pegawaiview/list/").get_data(as_text=True))

    assert "Welcome to SIKAP Dumai" in english and "Employee Data" in english
    assert "Selamat datang" not in english and "Bahasa Indonesia" in english
    assert "List of Employees" in listing and "Record Count" in listing
