"""What `make bench` measures, found in the app itself rather than listed by hand, so that no
page escapes it: a new menu entry, REST resource or report is measured without anyone adding
it to the benchmark (issue 16).

* Pages: the links of the navbar as the role sees it — FAB's menu filtered by that user's
  permissions, the notification bell, the profile — read from a page rendered for that user,
  so what is measured is exactly what the user can click. Links that are not pages are left
  out, each with its reason (``NOT_PAGES``).
* REST lists: every ModelRestApi registered with the AppBuilder whose list (``get_list``)
  the role may call (FAB's own permission check).
* Reports: every report of the catalogue (``app.reports.laporan.REPORTS``), in every format
  it is written in, when the role may download reports (LaporanApi ``can_get``).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException


@dataclass(frozen=True)
class Link:
    label: str
    path: str  # path and query string, as the href gives it


class _NavbarLinks(HTMLParser):
    """The ``<a href>`` inside the page's ``<header>`` (FAB's navbar block), with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._in_header = 0
        self._href: str | None = None
        self._text: list[str] = []
        self._title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._in_header += 1
        elif tag == "a" and self._in_header:
            attributes = dict(attrs)
            self._href, self._text = attributes.get("href") or "", []
            self._title = attributes.get("title") or ""  # an icon's only words (the bell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self._in_header -= 1
        elif tag == "a" and self._href is not None:
            label = " ".join(" ".join(self._text).split()) or self._title
            self.links.append(Link(label, self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def navbar_links(html: str) -> list[Link]:
    """Every link of the navbar of a rendered page, in page order."""
    parser = _NavbarLinks()
    parser.feed(html)
    parser.close()
    return parser.links


def _endpoint(app: Any, path: str) -> str:
    """The endpoint a GET of ``path`` reaches (path without its query string)."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException as error:  # a navbar link to no route is a bug the bench shows
        raise LookupError(f"The navbar links to {path}, which no route answers.") from error
    return endpoint


def not_pages(app: Any) -> dict[str, str]:
    """The endpoints the navbar links to that are not pages, with the reason each is left out.
    Found from the app's own URLs, not spelt out, so FAB renaming them changes nothing."""
    appbuilder = app.appbuilder
    with app.test_request_context():
        logout = appbuilder.get_url_for_logout
        locale = appbuilder.get_url_for_locale(next(iter(appbuilder.languages)))
    return {
        _endpoint(app, logout): "signs the user out: an action, not a page",
        _endpoint(app, locale): "sets the language and redirects back: an action, not a page",
    }


def navbar_pages(app: Any, html: str) -> tuple[list[Link], list[tuple[Link, str]]]:
    """The pages of the navbar of ``html`` (each path once) and the links left out, with why."""
    skipped = not_pages(app)
    pages: list[Link] = []
    left_out: list[tuple[Link, str]] = []
    seen: set[str] = set()
    for link in navbar_links(html):
        href = urlsplit(link.path)
        if not link.path or link.path.startswith(("#", "javascript:")):
            left_out.append((link, "opens a dropdown menu: not a page"))
        elif href.scheme or href.netloc:
            left_out.append((link, "outside the app: not a page of SIKAP"))
        elif (endpoint := _endpoint(app, link.path)) in skipped:
            left_out.append((link, skipped[endpoint]))
        elif link.path not in seen:
            seen.add(link.path)
            pages.append(link)
    return pages, left_out


def _may(app: Any, username: str, permission: str, view_name: str) -> bool:
    """FAB's answer for that user, as a request of theirs would get it (built-in roles)."""
    sm = app.appbuilder.sm
    with app.test_request_context():
        user = sm.find_user(username=username)
        return sm._has_view_access(user, permission, view_name)


@dataclass(frozen=True)
class Resource:
    name: str  # resource_name of the API
    path: str


def rest_lists(app: Any, username: str) -> list[Resource]:
    """The list endpoint of every registered ModelRestApi that ``username`` may call."""
    from flask_appbuilder.api import ModelRestApi

    found = []
    for api in app.appbuilder.baseviews:
        if not isinstance(api, ModelRestApi):
            continue
        if f"{api.endpoint}.get_list" not in app.view_functions:
            continue  # the list route is not exposed (include_route_methods)
        # The permission FAB's ``protect`` checks: the API's own name for the method, else
        # the one the method was declared with (``permission_name("get")``).
        declared = getattr(type(api).get_list, "_permission_name", "get_list")
        permission = "can_" + (api.method_permission_name.get("get_list") or declared)
        if _may(app, username, permission, api.class_permission_name):
            found.append(Resource(api.resource_name, f"{api.route_base}/"))
    return found


def reports(app: Any, username: str) -> list[Resource]:
    """Every report of the catalogue in every format, when ``username`` may download them
    through the API (the same code as the Laporan page: app.reports.laporan.buat)."""
    from app.api.laporan import LaporanApi
    from app.reports.laporan import REPORTS

    api = next(v for v in app.appbuilder.baseviews if isinstance(v, LaporanApi))
    if not _may(app, username, "can_get", api.class_permission_name):
        return []
    return [
        Resource(f"{jenis}.{ext}", f"{api.route_base}/{jenis}.{ext}")
        for jenis, laporan in REPORTS.items()
        for ext in laporan.writers
    ]
