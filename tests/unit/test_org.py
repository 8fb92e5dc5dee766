"""Who may be whose atasan (app.domain.org.check_atasan): no self-supervision, no cycles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import OrgChartError
from app.domain.org import MAX_CHAIN, check_atasan, topmost


def chain(atasan: dict[int, int | None]):  # noqa: ANN201
    """atasan_of over a fixed org chart {pegawai: atasan}."""
    return lambda pegawai_id: atasan.get(pegawai_id)


def refused(pegawai_id: int, atasan_id: int, org_chart: dict[int, int | None]) -> str:
    with pytest.raises(OrgChartError) as caught:
        check_atasan(pegawai_id, atasan_id, chain(org_chart))
    assert caught.value.field == "atasan_id"
    return caught.value.message


def test_pegawai_cannot_be_their_own_atasan():
    assert "own supervisor" in refused(1, 1, {})


def test_atasan_cannot_be_their_own_direct_subordinate():
    # 2 reports to 1; making 2 the atasan of 1 closes 1 → 2 → 1
    assert "cycle" in refused(1, 2, {2: 1})


def test_atasan_cannot_be_someone_further_down_the_chain():
    # 5 → 4 → 3 → 2 → 1: making 5 the atasan of 1 closes a five-person loop
    assert "cycle" in refused(1, 5, {5: 4, 4: 3, 3: 2, 2: 1, 1: None})


def test_atasan_in_a_chain_that_ends_at_the_top_is_accepted():
    check_atasan(10, 3, chain({3: 2, 2: 1, 1: None}))


def test_no_atasan_is_accepted():
    check_atasan(10, None, chain({}))


def test_new_pegawai_can_take_any_atasan():
    check_atasan(None, 3, chain({3: 2, 2: 1}))


def test_chain_deeper_than_any_real_one_is_refused():
    deep = {i: i + 1 for i in range(2, MAX_CHAIN + 10)}
    assert "too deep" in refused(1, 2, deep)


_PATHS = st.lists(st.lists(st.integers(1, 30), min_size=1, max_size=4), max_size=40).map(
    lambda chains: ["/" + "/".join(map(str, ids)) + "/" for ids in chains]
)


@given(_PATHS)
def test_topmost_paths_hold_every_path_and_none_holds_another(paths: list[str]) -> None:
    tops = topmost(paths)
    assert all(any(path.startswith(top) for top in tops) for path in paths)
    assert not any(a != b and b.startswith(a) for a in tops for b in tops)
    assert set(tops) <= set(paths)


def test_topmost_keeps_a_sibling_whose_id_begins_like_another() -> None:
    assert topmost(["/1/2/", "/1/2/31/", "/1/20/", "/1/20/5/"]) == ["/1/2/", "/1/20/"]
