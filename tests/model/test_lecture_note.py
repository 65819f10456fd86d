"""The lecture note's sections 2-7, computed by the engine and checked two ways.

Full precision: against the closed-form implementation in closed_form.py (independent code) and
finite differences. Three decimals: the formatter's output, compared with what the note prints
where full precision agrees with it. Where the note rounded an intermediate value before using
it again, its printed number differs from full precision; those cases follow full precision and
say so in a comment.
"""

from __future__ import annotations

import pytest

from netviz.model import Problem, fmt, iterate
from tests.model.closed_form import lecture_note_values, loss_2_2_1

NOTE = Problem.lecture_note()
TRACE = iterate(NOTE)
EXPECTED = lecture_note_values()


def test_default_problem_is_the_lecture_notes_inputs() -> None:
    assert NOTE.architecture.layer_sizes == (2, 2, 1)
    assert NOTE.values() == {
        "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45,
        "b1": 0.35, "b2": 0.35, "b3": 0.60, "x1": 0.05, "x2": 0.10, "t": 0.50, "eta": 0.5,
    }


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_quantity_matches_closed_form_at_full_precision(key: str) -> None:
    assert TRACE.values[key] == pytest.approx(EXPECTED[key], rel=1e-13, abs=1e-16)


@pytest.mark.parametrize("name", NOTE.architecture.param_names)
def test_gradients_match_finite_differences(name: str) -> None:
    params = {n: NOTE.param(n) for n in NOTE.architecture.param_names}
    h = 1e-6
    up = dict(params, **{name: params[name] + h})
    down = dict(params, **{name: params[name] - h})
    numeric = (loss_2_2_1(up) - loss_2_2_1(down)) / (2 * h)
    assert TRACE.gradients[name] == pytest.approx(numeric, rel=1e-6, abs=1e-11)


# Section 2 (forward), 4 (backward numbers), 6 (update), 7 (post-update) as the note prints them.
# Each row: key, the note's three-decimal number. Rows where the note and full precision differ
# are listed separately below.
AGREES_WITH_NOTE = [
    ("z_h1", "0.378"), ("h1", "0.593"), ("z_h2", "0.393"), ("h2", "0.597"),
    ("z_o", "1.106"), ("y_hat", "0.751"), ("E", "0.032"),
    ("dE_dyhat", "0.251"), ("dyhat_dzo", "0.187"), ("delta_o", "0.047"),
    ("dE_dw5", "0.028"), ("dE_dw6", "0.028"), ("dE_db3", "0.047"),
    ("dE_dh1", "0.019"), ("dE_dh2", "0.021"), ("dh1_dzh1", "0.241"), ("dh2_dzh2", "0.241"),
    ("delta_h1", "0.005"), ("delta_h2", "0.005"),
    ("dE_dw1", "0.000"), ("dE_db1", "0.005"), ("dE_dw3", "0.000"), ("dE_dw4", "0.001"), ("dE_db2", "0.005"),
    ("w5_new", "0.386"), ("w6_new", "0.436"), ("b3_new", "0.577"),
    ("w1_new", "0.150"), ("w2_new", "0.200"), ("b1_new", "0.348"),
    ("w3_new", "0.250"), ("w4_new", "0.300"),
]


@pytest.mark.parametrize(("key", "shown"), AGREES_WITH_NOTE)
def test_three_decimal_display_matches_the_note(key: str, shown: str) -> None:
    assert fmt(TRACE.values[key]) == shown
    # and the displayed number is the full-precision value rounded, not something else
    assert abs(float(shown) - EXPECTED[key]) <= 0.0005 + 1e-12


def test_z_h2_rounds_as_a_person_would() -> None:
    # 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925 exactly on paper, 0.39249999999999996 in binary;
    # a person rounds half away from zero to 0.393 (f"{x:.3f}" would say 0.392).
    assert TRACE.values["z_h2"] == EXPECTED["z_h2"]
    assert f"{TRACE.values['z_h2']:.3f}" == "0.392"
    assert fmt(TRACE.values["z_h2"]) == "0.393"


def test_where_the_note_rounded_early_full_precision_wins() -> None:
    v = TRACE.values
    # Note §4.3 prints ∂E/∂w2 = 0.005·0.10 = 0.001 using δ_h1 rounded to 0.005; at full
    # precision δ_h1 = 0.004532… so ∂E/∂w2 = 0.000453… which displays as 0.000.
    assert v["dE_dw2"] == pytest.approx(EXPECTED["delta_h1"] * 0.10, rel=1e-14)
    assert v["dE_dw2"] < 0.0005
    assert fmt(v["dE_dw2"]) == "0.000"
    # Note §6 prints b2′ = 0.35 − 0.5(0.005) = 0.348; full precision δ_h2 = 0.005084…
    # gives b2′ = 0.347457… which displays as 0.347.
    assert v["b2_new"] == pytest.approx(0.35 - 0.5 * EXPECTED["delta_h2"], rel=1e-14)
    assert fmt(v["b2_new"]) == "0.347"


def test_post_update_pass_section_7() -> None:
    after = TRACE.after.values
    updated = {n: EXPECTED[f"{n}_new"] for n in NOTE.architecture.param_names}
    expected_after = lecture_note_values(**updated)
    for key in ("z_h1", "h1", "z_h2", "h2", "z_o", "y_hat", "E"):
        assert after[key] == pytest.approx(expected_after[key], rel=1e-13)
    # Agreeing with the note's printed numbers:
    assert [fmt(after[k]) for k in ("h1", "z_h2", "h2", "y_hat", "E")] == ["0.593", "0.390", "0.596", "0.744", "0.030"]
    # The note prints z′_h1 = 0.376 and z′_o = 1.066 because it works from rounded b1′ = 0.348
    # and rounded h′; full precision gives 0.3752… and 1.0654…, shown as 0.375 and 1.065.
    assert fmt(after["z_h1"]) == "0.375"
    assert fmt(after["z_o"]) == "1.065"


def test_loss_falls_at_full_precision() -> None:
    # The note says the loss falls from ≈ 0.03159 to ≈ 0.02972; the second figure comes from its
    # rounded working. Full precision gives 0.029696…: we check against the closed form.
    updated = {n: EXPECTED[f"{n}_new"] for n in NOTE.architecture.param_names}
    assert TRACE.loss == pytest.approx(loss_2_2_1({n: NOTE.param(n) for n in NOTE.architecture.param_names}), rel=1e-14)
    assert TRACE.loss_after == pytest.approx(loss_2_2_1(updated), rel=1e-14)
    assert round(TRACE.loss, 5) == 0.03159
    assert TRACE.loss_after < TRACE.loss
