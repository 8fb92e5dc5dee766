"""Collect every msgid a SIKAP Dumai page can show into translations/messages.pot.

Three sources, because Flask-AppBuilder and WTForms ship no Indonesian catalogue of their own:
- our code (app/, mapped by babel.cfg, with the ``N_`` markers of the domain),
- Flask-AppBuilder's Python and templates (login, menus, list/search widgets, flashes),
- WTForms' message template (validation errors; app/i18n.py routes them to our catalogue).

Run by ``make messages``, which then merges the template into both catalogues.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import flask_appbuilder
import wtforms
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POT = os.path.join(ROOT, "translations", "messages.pot")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_formatter_gettext": None, "__": None}
FAB_MAPPING = [("**/templates/**.html", "jinja2"), ("**.py", "python")]

# (location, line, msgid, extracted comments); a plural msgid is a (singular, plural) tuple.
Extracted = tuple[str, int, str | tuple[str, ...], list[str]]


def _extract(folder: str, mapping: list[tuple[str, str]], prefix: str) -> Iterator[Extracted]:
    for filename, lineno, message, comments, _context in extract_from_dir(
        folder, mapping, {}, keywords=KEYWORDS, comment_tags=("NOTE:",), strip_comment_tags=True
    ):
        yield f"{prefix}{filename}", lineno, message, comments


def ours() -> Iterator[Extracted]:
    with open(os.path.join(ROOT, "babel.cfg"), encoding="utf-8") as cfg:
        mapping, _options = parse_mapping_cfg(cfg)
    yield from _extract(ROOT, mapping, "")


def flask_appbuilder_messages() -> Iterator[Extracted]:
    yield from _extract(
        os.path.dirname(flask_appbuilder.__file__), FAB_MAPPING, "flask_appbuilder/"
    )


def wtforms_messages() -> Iterator[Extracted]:
    pot = os.path.join(os.path.dirname(wtforms.__file__), "locale", "wtforms.pot")
    with open(pot, "rb") as fileobj:
        for message in read_po(fileobj):
            if message.id:
                for filename, lineno in message.locations:
                    yield filename.removeprefix("src/"), lineno, message.id, []


def template() -> Catalog:
    catalog = Catalog(project="SIKAP Dumai")
    for source in (ours, flask_appbuilder_messages, wtforms_messages):
        for location, lineno, message, comments in source():
            catalog.add(message, None, [(location, lineno)], auto_comments=comments)
    return catalog


def main(path: str = POT) -> None:
    catalog = template()
    with open(path, "wb") as fileobj:
        write_po(fileobj, catalog, width=100, sort_by_file=True)
    print(f"{len(catalog)} messages written to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
