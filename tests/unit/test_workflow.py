"""Every (state, action, relation) of the SKP and penilaian state machines, allowed or refused."""

import itertools

import pytest

from app.domain import workflow
from app.domain.errors import NotYourRole, TransitionRefused

RELATIONS = [workflow.OWNER, workflow.PENILAI, workflow.ATASAN_PENILAI, workflow.OTHER]

MACHINES = [
    (workflow.next_skp_state, workflow.SKP_STATES, workflow.SKP_ACTIONS, workflow.SKP_TRANSITIONS),
    (
        workflow.next_penilaian_state,
        workflow.PENILAIAN_STATES,
        workflow.PENILAIAN_ACTIONS,
        workflow.PENILAIAN_TRANSITIONS,
    ),
]


@pytest.mark.parametrize("machine", MACHINES, ids=["skp", "penilaian"])
def test_every_state_action_relation_is_allowed_or_refused_by_the_table(machine):
    next_state, states, actions, transitions = machine
    for state, action, relation in itertools.product(states, actions, RELATIONS):
        rule = transitions.get((state, action))
        if rule is None:
            with pytest.raises(TransitionRefused):
                next_state(state, action, {relation})
        elif rule[1] != relation:
            with pytest.raises(NotYourRole):
                next_state(state, action, {relation})
        else:
            assert next_state(state, action, {relation}) == rule[0]


def test_pegawai_submits_a_draft_and_a_returned_skp():
    assert workflow.next_skp_state("draft", "submit", {workflow.OWNER}) == "diajukan"
    assert workflow.next_skp_state("dikembalikan", "submit", {workflow.OWNER}) == "diajukan"


def test_pegawai_cannot_approve_own_skp_even_when_submitted():
    with pytest.raises(NotYourRole):
        workflow.next_skp_state("diajukan", "approve", {workflow.OWNER})


def test_approved_skp_cannot_be_returned():
    with pytest.raises(TransitionRefused):
        workflow.next_skp_state("disetujui", "return", {workflow.PENILAI})


def test_only_draft_and_returned_skp_are_editable():
    editable = {s for s in workflow.SKP_STATES if workflow.skp_is_editable(s)}
    assert editable == {"draft", "dikembalikan"}


def test_penilai_may_rate_again_until_the_pegawai_answers():
    assert workflow.next_penilaian_state("dinilai", "rate", {workflow.PENILAI}) == "dinilai"
    with pytest.raises(TransitionRefused):
        workflow.next_penilaian_state("diterima", "rate", {workflow.PENILAI})


def test_objection_is_decided_by_the_atasan_of_the_penilai_only():
    with pytest.raises(NotYourRole):
        workflow.next_penilaian_state("keberatan", "decide", {workflow.PENILAI})
    assert (
        workflow.next_penilaian_state("keberatan", "decide", {workflow.ATASAN_PENILAI}) == "final"
    )


def test_every_evaluation_state_is_either_rated_or_waiting_on_someone():
    rated, unrated = workflow.PENILAIAN_RATED, set(workflow.PENILAIAN_UNRATED)
    assert rated | unrated == set(workflow.PENILAIAN_STATES) and not rated & unrated
    assert workflow.PENILAIAN_SETTLED.issubset(rated)
    for state in workflow.PENILAIAN_STATES:
        assert workflow.penilaian_is_rated(state) == (workflow.penilaian_waits_on(state) is None)


def test_an_evaluation_is_done_once_rated_whatever_follows():
    assert workflow.penilaian_waits_on("belum_dinilai") == workflow.OWNER
    assert workflow.penilaian_waits_on("diajukan") == workflow.PENILAI
    for state in ("dinilai", "diterima", "keberatan", "final"):
        assert workflow.penilaian_is_rated(state)
    # Every state a rating leads to is rated: nothing goes back to open.
    for (state, _action), (new_state, _who) in workflow.PENILAIAN_TRANSITIONS.items():
        if workflow.penilaian_is_rated(state):
            assert workflow.penilaian_is_rated(new_state)
