"""The engine on any architecture: naming, gradients against finite differences, the trace, SGD."""

from __future__ import annotations

import math
import random
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netviz.model import Architecture, Phase, Problem, gradient_check, iterate, loss, train
from netviz.model.activations import sigmoid
from netviz.model.backprop import diverged
from netviz.model.display import round_display


def test_sigmoid_is_exact_and_never_overflows() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigmoid(1000.0) == 1.0
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid(1e308) == 1.0
        assert sigmoid(-1e308) == 0.0
    assert sigmoid(0.0) == 0.5
    for z in (-30.0, -2.0, 0.3775, 5.0):
        assert sigmoid(z) == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-15)
    assert math.isnan(sigmoid(math.nan))


def test_lecture_note_naming() -> None:
    arch = Architecture((2, 2, 1))
    assert arch.param_names == ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    # w1, w2 feed h1; w3, w4 feed h2; w5, w6 feed the output.
    assert [(p.name, p.layer, p.unit, p.source) for p in arch.params[:6]] == [
        ("w1", 1, 0, 0), ("w2", 1, 0, 1), ("w3", 1, 1, 0), ("w4", 1, 1, 1), ("w5", 2, 0, 0), ("w6", 2, 0, 1),
    ]
    assert [u.name for u in arch.layers[1]] == ["h1", "h2"]
    assert arch.layers[2][0].a_key == "y_hat"
    assert arch.scalar_names[-4:] == ("x1", "x2", "t", "eta")


def test_deeper_network_naming() -> None:
    arch = Architecture((3, 4, 2, 2))
    assert len(arch.params) == 3 * 4 + 4 * 2 + 2 * 2 + 4 + 2 + 2
    assert [u.name for u in arch.layers[1]][:2] == ["h1_1", "h1_2"]
    assert [u.a_key for u in arch.layers[3]] == ["y_hat1", "y_hat2"]
    assert arch.target_names == ("t1", "t2")


@pytest.mark.parametrize("sizes", [(), (2,), (2, 0, 1), (2, 65, 1), (2, 2.0, 1)])
def test_bad_architecture_is_refused(sizes: tuple) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        Architecture(sizes)


def test_trace_order_and_phases() -> None:
    trace = iterate(Problem.lecture_note())
    keys = [s.key for s in trace.steps]
    assert keys[:7] == ["z_h1", "h1", "z_h2", "h2", "z_o", "y_hat", "E"]
    assert keys[7:10] == ["dE_dyhat", "dyhat_dzo", "delta_o"]
    assert [s.phase for s in trace.steps] == sorted((s.phase for s in trace.steps), key=list(Phase).index)
    assert len(trace.phase_steps(Phase.UPDATE)) == 9
    z = trace.step("z_h1")
    assert z.formula == "{w1}·{x1} + {w2}·{x2} + {b1}"
    assert dict(z.inputs) == {"w1": 0.15, "x1": 0.05, "w2": 0.20, "x2": 0.10, "b1": 0.35}
    assert z.via == ("w1", "w2", "b1")


def test_every_step_recomputes_from_its_own_inputs() -> None:
    """A step's recorded inputs are the values the trace holds for those keys at that time."""
    trace = iterate(Problem.lecture_note())
    for s in trace.steps:
        for key, value in s.inputs:
            assert trace.values[key] == value or key in trace.problem.values()


def test_trace_is_immutable() -> None:
    trace = iterate(Problem.lecture_note())
    with pytest.raises(TypeError):
        trace.values["E"] = 0.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        trace.steps[0].value = 1.0  # type: ignore[misc]


def _random_problem(rng: random.Random, sizes: tuple[int, ...]) -> Problem:
    arch = Architecture(sizes)
    return Problem(
        arch,
        tuple(rng.uniform(-2, 2) for _ in arch.params),
        tuple(rng.uniform(-1, 1) for _ in range(sizes[0])),
        tuple(rng.uniform(0, 1) for _ in range(sizes[-1])),
        rng.uniform(0.01, 1.0),
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple),
    st.integers(0, 2**32 - 1),
)
def test_gradient_check_on_random_networks(sizes: tuple[int, ...], seed: int) -> None:
    problem = _random_problem(random.Random(seed), sizes)
    for check in gradient_check(problem):
        assert check.ok(rel_tol=1e-5, abs_tol=1e-9), check


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple), st.integers(0, 2**32 - 1))
def test_fast_trainer_matches_traced_engine(sizes: tuple[int, ...], seed: int) -> None:
    problem = _random_problem(random.Random(seed), sizes)
    result = train(problem, 5)
    p = problem
    losses = []
    for _ in range(5):
        t = iterate(p)
        p = t.updated
        losses.append(t.loss_after)
    assert result.problem.params == pytest.approx(p.params, rel=1e-12, abs=1e-15)
    assert list(result.losses) == pytest.approx(losses, rel=1e-12, abs=1e-15)


def test_sgd_step_is_theta_minus_eta_gradient() -> None:
    problem = Problem.lecture_note().with_value("eta", 0.7)
    trace = iterate(problem)
    for p, new in zip(problem.architecture.params, trace.updated.params, strict=True):
        assert new == problem.param(p.name) - 0.7 * trace.gradients[p.name]
    assert trace.loss == loss(problem)
    assert trace.loss_after == loss(trace.updated)


def test_training_lowers_the_loss() -> None:
    result = train(Problem.lecture_note(), 200)
    assert len(result.losses) == 200
    assert all(b <= a for a, b in zip(result.losses, result.losses[1:], strict=False))
    assert result.losses[-1] < loss(Problem.lecture_note()) / 10


def test_extreme_values_stay_finite_or_are_flagged() -> None:
    p = Problem.lecture_note().with_value("w5", 1e300).with_value("x1", -1e308).with_value("eta", 1e6)
    trace = iterate(p)
    assert all(math.isfinite(v) for v in trace.updated.params)  # never a NaN parameter
    if diverged(trace):
        assert not all(math.isfinite(s.value) for s in trace.steps) or not math.isfinite(trace.loss_after)
    big_target = Problem.lecture_note().with_value("t", 1e300)
    result = train(big_target, 10)
    assert result.diverged and all(math.isfinite(v) for v in result.problem.params)
    assert all(math.isfinite(v) for v in result.losses)


@pytest.mark.parametrize(("t", "eta"), [(1e150, 1e200), (1e100, 1e290), (0.5, 1e308)])
def test_a_parameter_overflowing_ends_the_run_like_a_non_finite_loss(t: float, eta: float) -> None:
    """An update can push a weight to ±inf while E stays finite (the sigmoid saturates): the
    trainer must stop there as the traced engine does, not return an infinite weight."""
    p = Problem.lecture_note().with_value("t", t).with_value("eta", eta)
    result = train(p, 50)
    assert all(math.isfinite(v) for v in result.problem.params)
    assert all(math.isfinite(v) for v in result.losses) and len(result.losses) == result.steps_done
    if result.diverged:  # the traced engine finds the step after the last one kept non-finite too
        assert diverged(iterate(result.problem))
    else:  # ... or, when the trainer went on, every traced step was finite
        assert result.steps_done == 50 and not diverged(iterate(p))


@pytest.mark.parametrize("chunk", [1, 7, 50, 1000])
def test_training_in_pieces_is_training_at_once(chunk: int) -> None:
    from netviz.model.kernel import train_in_pieces

    for p in (Problem.lecture_note(), Problem.lecture_note().with_value("eta", 40.0),
              Problem.lecture_note().with_value("t", 1e150).with_value("eta", 1e200)):
        whole = train(p, 50)
        seen: list[int] = []
        pieces = train_in_pieces(p, 50, chunk=chunk, progress=seen.append)
        assert pieces.problem.params == whole.problem.params  # bit for bit
        assert list(pieces.losses) == list(whole.losses)
        assert (pieces.steps_done, pieces.diverged) == (whole.steps_done, whole.diverged)
        if not whole.diverged:
            assert seen == [min(k, 50) for k in range(chunk, 50 + chunk, chunk)]
        lean = train_in_pieces(p, 50, keep_losses=False, chunk=chunk)
        assert lean.problem.params == whole.problem.params and len(lean.losses) == 0
    with pytest.raises(ValueError, match="chunk"):
        train_in_pieces(Problem.lecture_note(), 5, chunk=0)


def test_non_finite_values_are_refused() -> None:
    p = Problem.lecture_note()
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="finite"):
            p.with_value("w1", bad)
    with pytest.raises(ValueError, match="w9"):
        p.with_value("w9", 1.0)


def test_hand_calculation_rounding_changes_what_the_note_rounded() -> None:
    """With every intermediate rounded as a student would, ∂E/∂w2 becomes the note's 0.001."""
    trace = iterate(Problem.lecture_note(), rounding=round_display)
    assert trace.values["delta_h1"] == 0.005
    assert trace.values["dE_dw2"] == 0.001  # 0.005 · 0.10 = 0.0005 → 0.001 half away from zero
    exact = iterate(Problem.lecture_note())
    assert exact.values["dE_dw2"] < 0.0005


def test_negative_numbers_are_parenthesised_inside_a_formula() -> None:
    from netviz.model import symbols
    from netviz.model.display import fmt

    trace = iterate(Problem.lecture_note().with_value("w5", -0.4).with_value("b1", -5.0))
    z_o = trace.step("z_o").render(symbols.text, fmt)
    assert z_o.startswith(f"−0.400·{fmt(trace.values['h1'])} + ")  # first: no parentheses needed
    z_h1 = trace.step("z_h1").render(symbols.text, fmt)
    assert z_h1.endswith(" + (−5.000)")
    h1 = trace.step("h1").render(symbols.text, fmt)  # already in parentheses: not doubled
    assert h1 == f"σ({fmt(trace.values['z_h1'])})" and h1.startswith("σ(−")
    de_dh1 = trace.step("dE_dh1").render(symbols.text, fmt)
    assert de_dh1.endswith("·(−0.400)")
    w5_new = trace.step("w5_new").render(symbols.text, fmt)
    assert w5_new.startswith("−0.400 − ") and "(" not in w5_new
    w6 = trace.step("dE_dw6")
    assert trace.step("w6_new").render(symbols.text, fmt).endswith("·" + fmt(w6.value))
    up = iterate(Problem.lecture_note().with_value("t", 0.99))  # ŷ < t: gradients turn negative
    g = up.values["dE_dw5"]
    assert g < 0 and up.step("w5_new").render(symbols.text, fmt) == f"0.400 − 0.500·({fmt(g)})"


@pytest.mark.parametrize(("name", "value"), [("w1", 1e300), ("x1", -1e308), ("b3", 1.7e308), ("eta", 1e6)])
def test_hand_calculation_trace_survives_extreme_values(name: str, value: float) -> None:
    # The hand-rounded trace is built beside the exact one for any network a user can make.
    problem = Problem.lecture_note().with_value(name, value)
    exact, hand = iterate(problem), iterate(problem, rounding=round_display)
    assert [s.key for s in hand.steps] == [s.key for s in exact.steps]
    for s in hand.steps:
        assert math.isnan(s.value) or s.value == round_display(s.value)


def test_hand_calculation_trace_matches_a_hand_calculation_written_out() -> None:
    from tests.model.closed_form import hand_calculation_values

    trace = iterate(Problem.lecture_note(), rounding=round_display)
    values, after = hand_calculation_values()
    for key, expected in values.items():
        assert trace.values[key] == expected, key
    for key, expected in after.items():
        assert trace.after.values[key] == expected, f"{key}′"


@pytest.mark.parametrize("sizes", [(2, 2, 1), (3, 4, 4, 2)])
def test_descriptions_use_the_notes_symbols_not_internal_keys(sizes: tuple[int, ...]) -> None:
    import re

    arch = Architecture(sizes)
    problem = Problem(arch, tuple(0.1 for _ in arch.params), tuple(0.5 for _ in range(sizes[0])),
                      tuple(0.2 for _ in range(sizes[-1])), 0.3)
    trace = iterate(problem)
    for s in trace.steps:
        assert "_" not in s.description and not re.search(r"\b[whbxoy]\d", s.description), s.description
    described = {s.key: s.description for s in trace.steps}
    if sizes == (2, 2, 1):
        assert described["dE_dyhat"] == "how E changes with ŷ"
        assert described["z_h1"] == "pre-activation of h₁"
        assert described["w6_new"] == "SGD update of w₆"


@pytest.mark.parametrize(("sizes", "loss_text"), [
    ((2, 2, 1), "E = ½(ŷ − t)²"),
    ((2, 3, 2), "E = ½(ŷ₁ − t₁)² + ½(ŷ₂ − t₂)²"),
    ((3, 4, 2, 3), "E = ½(ŷ₁ − t₁)² + ½(ŷ₂ − t₂)² + ½(ŷ₃ − t₃)²"),
])
def test_the_walkthrough_heading_writes_the_loss_of_the_network_it_walks_through(
        sizes: tuple[int, ...], loss_text: str) -> None:
    """Written out here, not taken from the engine: a network with two outputs has two terms."""
    from netviz.model.walkthrough import walkthrough_text

    arch = Architecture(sizes)
    problem = Problem(arch, tuple(0.1 for _ in arch.params), tuple(0.5 for _ in range(sizes[0])),
                      tuple(0.5 for _ in range(sizes[-1])), 0.5)
    heading = walkthrough_text(problem).splitlines()[0]
    assert heading == f"Backpropagation walkthrough: {arch.label} sigmoid network, {loss_text}"
