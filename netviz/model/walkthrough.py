"""The lecture note's worked example, generated for any problem: as text and as JSON.

Text follows the note's structure (forward pass, backward pass by layer, gradient summary,
one SGD update, post-update pass) and its rounding policy; JSON carries full precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from netviz.model import symbols
from netviz.model.backprop import iterate
from netviz.model.display import fmt, fmt_full, round_display
from netviz.model.network import Architecture, Problem
from netviz.model.trace import MicroStep, Phase, Trace


def step_layer(arch: Architecture, step: MicroStep) -> int:
    """The layer a step belongs to (its unit's, or the layer its parameter feeds)."""
    if step.element == "E":
        return len(arch.layer_sizes) - 1
    if step.element in arch.param_index:
        return arch.params[arch.param_index[step.element]].layer
    for layer, units in enumerate(arch.layers):
        if any(u.name == step.element for u in units):
            return layer
    raise KeyError(step.element)


def layer_title(arch: Architecture, layer: int) -> str:
    last = len(arch.layer_sizes) - 1
    if layer == last:
        return "Output layer"
    return "Hidden layer" if last == 2 else f"Hidden layer {layer}"


def equation(step: MicroStep, prime: bool = False) -> str:
    """``symbol = formula = numbers = value``, as the note writes a line of working.

    With ``prime`` (the post-update pass) the symbol is primed and the symbolic form left
    out, since its inputs are the updated values: ``z′ = numbers = value``.
    """
    symbolic = step.render(symbols.text, None)
    numeric = step.render(symbols.text, fmt)
    parts = [symbols.text(step.key) + ("′" if prime else "")]
    if not prime:
        parts.append(symbolic)
    if numeric != symbolic or prime:
        parts.append(numeric)
    if numeric != fmt(step.value):
        parts.append(fmt(step.value))
    return " = ".join(parts)


HAND_NOTE = "by hand, rounding every value to three decimals before using it again:"
"""The lecture note rounds this way in many places, so this is often the number it prints."""


def _worked(steps: list[MicroStep] | tuple[MicroStep, ...], hand: dict[str, float], prime: bool = False) -> list[str]:
    """Lines of working for ``steps``; where rounding by hand (as the note does) gives other
    decimals than full precision, a line under the step says what the hand calculation gets."""
    lines = []
    for s in steps:
        lines.append(f"  {equation(s, prime=prime)}")
        by_hand = hand.get(s.key)
        if by_hand is not None and fmt(by_hand) != fmt(s.value):
            exact = f"{s.value:.6g}".replace("-", "\u2212")
            lines.append(f"      ({HAND_NOTE} {fmt(by_hand)}; at full precision it is {exact})")
    return lines


def _by_layer(
    trace_steps: tuple[MicroStep, ...], arch: Architecture, descending: bool
) -> Iterator[tuple[int, list[MicroStep]]]:
    layers = sorted({step_layer(arch, s) for s in trace_steps}, reverse=descending)
    for layer in layers:
        yield layer, [s for s in trace_steps if step_layer(arch, s) == layer]


def walkthrough_text(problem: Problem) -> str:
    """The full worked example as plain text with three-decimal numbers."""
    trace = iterate(problem)
    by_hand = iterate(problem, rounding=round_display)
    hand = dict(by_hand.values)
    hand_after = dict(by_hand.after.values)
    arch = problem.architecture
    out: list[str] = []
    add = out.append
    ins = ", ".join(f"{symbols.text(n)} = {fmt(problem.value(n))}" for n in arch.input_names)
    tgt = ", ".join(f"{symbols.text(n)} = {fmt(problem.value(n))}" for n in arch.target_names)
    loss_formula = trace.step("E").render(symbols.text, None)  # ½(ŷ − t)², or a sum over the outputs
    add(f"Backpropagation walkthrough: {arch.label} {arch.activation} network, E = {loss_formula}")
    add(f"Example: {ins}; target {tgt}; learning rate η = {fmt(problem.learning_rate)}")
    add("Rounding: full precision inside; three decimals on display; |v| < 0.0005 shows as 0.000.")
    add("")
    add("Parameters")
    add("  " + "  ".join(f"{symbols.text(n)} = {fmt(problem.param(n))}" for n in arch.param_names))

    add("")
    add("1. Forward pass")
    for k, (layer, steps) in enumerate(_by_layer(trace.phase_steps(Phase.FORWARD), arch, False), 1):
        add(f"1.{k} {layer_title(arch, layer)}")
        out.extend(_worked(steps, hand))

    add("")
    add("2. Backward pass")
    for k, (layer, steps) in enumerate(_by_layer(trace.phase_steps(Phase.BACKWARD), arch, True), 1):
        add(f"2.{k} {layer_title(arch, layer)}")
        out.extend(_worked(steps, hand))

    add("")
    add("3. Gradient summary")
    grads = trace.gradients
    for layer in range(len(arch.layer_sizes) - 1, 0, -1):
        names = [p.name for j in range(arch.layer_sizes[layer]) for p in arch.unit_params(layer, j)]
        add(f"  {layer_title(arch, layer)}: " + ", ".join(f"∂E/∂{symbols.text(n)} = {fmt(grads[n])}" for n in names))

    add("")
    add(f"4. One SGD update (η = {fmt(problem.learning_rate)}): θ′ = θ − η·∂E/∂θ")
    out.extend(_worked(trace.phase_steps(Phase.UPDATE), hand))

    add("")
    add("5. Post-update forward pass")
    out.extend(_worked(trace.after.steps, hand_after, prime=True))

    add("")
    add("6. Loss")
    add(f"  before the update: E  = {fmt(trace.loss)}  (full precision {fmt_full(trace.loss)})")
    add(f"  after the update:  E′ = {fmt(trace.loss_after)}  (full precision {fmt_full(trace.loss_after)})")
    add(f"  {loss_verdict(trace.loss, trace.loss_after)}")
    return "\n".join(out) + "\n"


def loss_verdict(before: float, after: float) -> str:
    """One sentence on what the update did to the loss, true for every outcome."""
    if not math.isfinite(before):  # no step was taken: the values given are what is too large
        return ("The loss is not a finite number before any update: the values given are too large "
                "to compute with (η is not the cause).")
    if not math.isfinite(after):
        return "The loss is not a finite number after the update: the network has diverged (try a smaller η)."
    change = after - before
    if change < 0:
        return f"The loss decreased by {fmt_full(-change)}."
    if change > 0:
        return f"The loss increased by {fmt_full(change)} (η may be too large, or negative)."
    return "The loss did not change (η is 0, or the gradients are too small to move it)."


def _num(v: float) -> float | None:
    """JSON has no NaN or Infinity: a non-finite value is written as null."""
    return v if math.isfinite(v) else None


def backward_keys(arch: Architecture) -> list[str]:
    """The backward quantities the note names: ∂E/∂ŷ, ∂ŷ/∂z_o, δ_o, then ∂E/∂h and δ per hidden unit."""
    keys: list[str] = []
    last = len(arch.layer_sizes) - 1
    for layer in range(last, 0, -1):
        for u in arch.layers[layer]:
            keys += [u.dE_da_key, u.slope_key, u.delta_key] if layer == last else [u.dE_da_key]
        if layer != last:
            keys += [u.delta_key for u in arch.layers[layer]]
    return keys


def walkthrough_json(problem: Problem) -> dict[str, dict[str, float | None]]:
    """The walkthrough at full precision: forward, backward, gradients, updated, after."""
    trace: Trace = iterate(problem)
    arch = problem.architecture
    fwd = [s.key for s in trace.phase_steps(Phase.FORWARD)]
    return {
        "forward": {k: _num(trace.values[k]) for k in fwd},
        "backward": {k: _num(trace.values[k]) for k in backward_keys(arch)},
        "gradients": {p.name: _num(trace.values[p.grad_key]) for p in arch.params},
        "updated": {p.name: _num(v) for p, v in zip(arch.params, trace.updated.params, strict=True)},
        "after": {k: _num(trace.after.values[k]) for k in fwd},
    }
