"""BerAKHLAK, the core values of ASN (SE MenPANRB 20/2021), with their official panduan
perilaku as used in part B of the SKP (PermenPANRB 6/2022). Shipped as app/data/berakhlak.csv."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

_CSV = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "berakhlak.csv")


@dataclass(frozen=True)
class NilaiBerakhlak:
    urutan: int
    nama: str
    panduan: tuple[str, ...]


def _load() -> tuple[NilaiBerakhlak, ...]:
    with open(_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    values: dict[int, NilaiBerakhlak] = {}
    for row in rows:
        urutan = int(row["urutan"])
        known = values.get(urutan)
        panduan = (known.panduan if known else ()) + (row["panduan_perilaku"],)
        values[urutan] = NilaiBerakhlak(urutan, row["nilai"], panduan)
    return tuple(values[key] for key in sorted(values))


BERAKHLAK: tuple[NilaiBerakhlak, ...] = _load()
BY_URUTAN = {value.urutan: value for value in BERAKHLAK}
