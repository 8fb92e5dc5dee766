"""Official documents as PDF: the print view's HTML laid out by WeasyPrint, with the QR code
of the verification link (segno) drawn into the page."""

from __future__ import annotations

import segno

# Error correction M (15 %): a stamp or a fold across the code leaves it readable.
QR_ERROR = "m"


def qr_data_uri(url: str) -> str:
    """The link as a PNG QR code inline in the page (no file, no request: CSP and offline)."""
    return segno.make(url, error=QR_ERROR).png_data_uri(scale=4, border=2)


def render_pdf(html: str) -> bytes:
    """The templates carry their styles and images inline: anything but a ``data:`` URI
    (a value typed into a template is escaped, but still) is refused, never fetched."""
    # Imported here: WeasyPrint and its font tools cost the app's start 0.3 s (cold start
    # 1.74 -> 1.45 s without them), and most processes never make a PDF. gunicorn's master
    # loads it before forking.
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
