"""The browser's what-if (app/static/sikap/kurva.js) checks the kurva rules exactly as
app.domain.scoring.kurva_breaches does: the same rule lines broken for the same
distributions, at the boundaries of tests/unit/test_scoring.py and on random ones."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from app.domain.scoring import KURVA_RULES, PREDIKAT
from app.services.kurva import distribusi, rules_data

NODE = shutil.which("node")
KURVA_JS = Path(__file__).resolve().parents[2] / "app" / "static" / "sikap" / "kurva.js"

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js to run kurva.js")

RUN = """
const {check} = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const lines = input.cases.map(([org, predikats]) =>
  check(input.rules[org], predikats).map((l) => [l.key, l.count, l.total, l.breached]));
process.stdout.write(JSON.stringify(lines));
"""


def spread(**counts: int) -> list[str | None]:
    return [p for p, n in counts.items() for _ in range(n)]


BOUNDARIES = [
    ("istimewa", spread(sangat_baik=7, baik=3)),
    ("istimewa", spread(sangat_baik=71, baik=29)),
    ("baik", spread(baik=70, sangat_baik=29, butuh_perbaikan=1)),
    ("baik", spread(baik=71, sangat_baik=29)),
    ("butuh_perbaikan", spread(butuh_perbaikan=6, sangat_baik=1, baik=3)),
    ("butuh_perbaikan", spread(butuh_perbaikan=59, baik=41)),
    ("butuh_perbaikan", spread(butuh_perbaikan=60, sangat_baik=11, baik=29)),
    ("kurang", spread(kurang=18, butuh_perbaikan=3, sangat_baik=3, baik=6)),
    ("kurang", spread(kurang=18, butuh_perbaikan=2, baik=10)),
    ("sangat_kurang", spread(sangat_kurang=6, kurang=1, butuh_perbaikan=1, baik=2)),
    ("sangat_kurang", spread(sangat_kurang=6, kurang=1, sangat_baik=1, baik=2)),
    ("baik", []),
    ("baik", [None, None]),
    ("kurang", spread(kurang=2) + [None]),
]


def random_cases(count: int) -> list[tuple[str, list[str | None]]]:
    pick = random.Random(2023)
    choices = [*PREDIKAT, None]
    return [
        (
            pick.choice(list(KURVA_RULES)),
            [pick.choice(choices) for _ in range(pick.randint(0, 40))],
        )
        for _ in range(count)
    ]


def in_browser(cases: list[tuple[str, list[str | None]]]) -> list[list[list]]:
    result = subprocess.run(
        [NODE, "-e", RUN, str(KURVA_JS)],
        input=json.dumps({"rules": rules_data(), "cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def in_python(cases: list[tuple[str, list[str | None]]]) -> list[list[list]]:
    return [
        [[line.key, line.count, line.total, line.breached] for line in distribusi(org, p).aturan]
        for org, p in cases
    ]


def test_kurva_js_agrees_at_the_boundaries():
    assert in_browser(BOUNDARIES) == in_python(BOUNDARIES)


def test_kurva_js_agrees_on_random_distributions():
    cases = random_cases(500)
    assert in_browser(cases) == in_python(cases)
