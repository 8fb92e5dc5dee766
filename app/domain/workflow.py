"""The state machines of the SKP and of its evaluations (DOMAIN.md, States).

Who may fire a transition is decided by the actor's *relation* to the document, never by the
page it came from, so the HTML views and the REST API cannot differ.
"""

from __future__ import annotations

from app.domain.enums import N_
from app.domain.errors import NotYourRole, TransitionRefused

# Relations of an actor to a document.
OWNER = "owner"  # the pegawai whose SKP it is
PENILAI = "pejabat_penilai"  # the owner's pejabat penilai (atasan langsung or override)
ATASAN_PENILAI = "atasan_pejabat_penilai"  # the penilai's own atasan (decides keberatan)
SYSTEM = "system"  # the scheduled jobs (deemed acceptance), never a person
OTHER = "other"

# An SKP not yet approved when its owner moved to another post (app.domain.mutasi) never
# came into force: it is closed, no transition leaves that state, and the SKP of the new post
# takes its place. An approved one stays approved, in force until the day before the move.
SKP_CLOSED = "ditutup"

SKP_STATES = {
    "draft": N_("Draft"),
    "diajukan": N_("Submitted"),
    "disetujui": N_("Approved"),
    "dikembalikan": N_("Returned"),
    SKP_CLOSED: N_("Closed (transfer)"),
}

SKP_ACTIONS = {
    "submit": N_("Submit"),
    "approve": N_("Approve"),
    "return": N_("Return"),
    # Recorded on the SKP of the post left by admin BKPSDM; no one fires it as a transition.
    "mutasi": N_("Transfer to another post"),
}

# PermenPANRB 6/2022: the pegawai drafts, the pejabat penilai agrees or returns with notes.
SKP_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("draft", "submit"): ("diajukan", OWNER),
    ("dikembalikan", "submit"): ("diajukan", OWNER),
    ("diajukan", "approve"): ("disetujui", PENILAI),
    ("diajukan", "return"): ("dikembalikan", PENILAI),
}

SKP_EDITABLE_STATES = frozenset({"draft", "dikembalikan"})

PENILAIAN_STATES = {
    "belum_dinilai": N_("Not yet evaluated"),
    "diajukan": N_("Submitted"),
    "dinilai": N_("Rated"),
    "diterima": N_("Accepted"),
    "keberatan": N_("Objected"),
    "final": N_("Final"),
}

PENILAIAN_ACTIONS = {
    "submit": N_("Submit"),
    "rate": N_("Rate"),
    "accept": N_("Accept"),
    "object": N_("Object"),
    "decide": N_("Decide"),
    "deem": N_("Accepted by the system"),
}

# PP 30/2019 and CONTRACT.md: the penilai may re-rate until the pegawai accepts or objects;
# an objection is decided by the atasan pejabat penilai, and that decision is final.
PENILAIAN_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("belum_dinilai", "submit"): ("diajukan", OWNER),
    ("diajukan", "rate"): ("dinilai", PENILAI),
    ("dinilai", "rate"): ("dinilai", PENILAI),
    ("dinilai", "accept"): ("diterima", OWNER),
    ("dinilai", "object"): ("keberatan", OWNER),
    ("keberatan", "decide"): ("final", ATASAN_PENILAI),
    # Nothing waits forever (DOMAIN.md, A year closes): unanswered within the window, the
    # rating counts as accepted — by the system's scheduled job, never by a person.
    ("dinilai", "deem"): ("diterima", SYSTEM),
}

# What counts as done, for every count of compliance (the Kepatuhan page, its workbook, the
# dashboard): an evaluation is *rated* — processed by the pejabat penilai — once it holds a
# predikat, whatever followed (accepted, objected to, decided). Until then it is open, waiting on
# the pegawai (realisasi not submitted) or on the pejabat penilai (submitted, not rated).
PENILAIAN_UNRATED: dict[str, str] = {"belum_dinilai": OWNER, "diajukan": PENILAI}
PENILAIAN_RATED = frozenset(PENILAIAN_STATES) - frozenset(PENILAIAN_UNRATED)

# Settled: the rating stands (accepted by the pegawai, or the objection decided) — what is handed
# over to SIASN and what a development plan may follow.
PENILAIAN_SETTLED = frozenset({"diterima", "final"})

ACTORS = {
    OWNER: N_("the employee who owns it"),
    PENILAI: N_("the appraising official"),
    ATASAN_PENILAI: N_("the appraising official's superior"),
    SYSTEM: N_("the system"),
}


def _next(
    machine: tuple[dict[tuple[str, str], tuple[str, str]], dict[str, str], dict[str, str]],
    state: str,
    action: str,
    relations: set[str],
) -> str:
    transitions, states, actions = machine
    try:
        new_state, allowed = transitions[(state, action)]
    except KeyError:
        raise TransitionRefused(
            N_("Action '%(action)s' is not possible while the status is '%(state)s'."),
            action=actions.get(action, action),
            state=states.get(state, state),
        ) from None
    if allowed not in relations:
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=ACTORS[allowed])
    return new_state


def next_skp_state(state: str, action: str, relations: set[str]) -> str:
    """The SKP's state after ``action`` by an actor with ``relations`` to it.

    Raise TransitionRefused (→ 409) or NotYourRole (→ 403) with the reason.
    """
    return _next((SKP_TRANSITIONS, SKP_STATES, SKP_ACTIONS), state, action, relations)


def next_penilaian_state(state: str, action: str, relations: set[str]) -> str:
    """The evaluation's state after ``action``; same errors as :func:`next_skp_state`."""
    return _next(
        (PENILAIAN_TRANSITIONS, PENILAIAN_STATES, PENILAIAN_ACTIONS), state, action, relations
    )


def skp_is_editable(state: str) -> bool:
    """Only a draft or returned SKP may be changed by its owner."""
    return state in SKP_EDITABLE_STATES


def penilaian_is_rated(state: str) -> bool:
    """Whether an evaluation in ``state`` is rated (done, for compliance)."""
    return state in PENILAIAN_RATED


def penilaian_waits_on(state: str) -> str | None:
    """Who must act before an evaluation in ``state`` is rated (OWNER or PENILAI); None once
    it is."""
    return PENILAIAN_UNRATED.get(state)
