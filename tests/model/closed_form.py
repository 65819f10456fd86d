"""A second, independent implementation of the 2-2-1 lecture-note network, written out by hand.

It shares no code with netviz.model: tests compare the engine against these formulas.
"""

from __future__ import annotations

import math


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def lecture_note_values(
    w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
    x1=0.05, x2=0.10, t=0.50, eta=0.5,
) -> dict[str, float]:
    """Every quantity of one iteration, by the names the walkthrough JSON uses."""
    v: dict[str, float] = {}
    v["z_h1"] = w1 * x1 + w2 * x2 + b1
    v["h1"] = sig(v["z_h1"])
    v["z_h2"] = w3 * x1 + w4 * x2 + b2
    v["h2"] = sig(v["z_h2"])
    v["z_o"] = w5 * v["h1"] + w6 * v["h2"] + b3
    v["y_hat"] = sig(v["z_o"])
    v["E"] = 0.5 * (v["y_hat"] - t) ** 2
    v["dE_dyhat"] = v["y_hat"] - t
    v["dyhat_dzo"] = v["y_hat"] * (1 - v["y_hat"])
    v["delta_o"] = v["dE_dyhat"] * v["dyhat_dzo"]
    v["dE_dh1"] = v["delta_o"] * w5
    v["dE_dh2"] = v["delta_o"] * w6
    v["dh1_dzh1"] = v["h1"] * (1 - v["h1"])
    v["dh2_dzh2"] = v["h2"] * (1 - v["h2"])
    v["delta_h1"] = v["dE_dh1"] * v["dh1_dzh1"]
    v["delta_h2"] = v["dE_dh2"] * v["dh2_dzh2"]
    grads = {
        "w1": v["delta_h1"] * x1, "w2": v["delta_h1"] * x2, "b1": v["delta_h1"],
        "w3": v["delta_h2"] * x1, "w4": v["delta_h2"] * x2, "b2": v["delta_h2"],
        "w5": v["delta_o"] * v["h1"], "w6": v["delta_o"] * v["h2"], "b3": v["delta_o"],
    }
    params = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "b1": b1, "b2": b2, "b3": b3}
    for name, g in grads.items():
        v[f"dE_d{name}"] = g
        v[f"{name}_new"] = params[name] - eta * g
    return v


def loss_2_2_1(params: dict[str, float], x1=0.05, x2=0.10, t=0.50) -> float:
    h1 = sig(params["w1"] * x1 + params["w2"] * x2 + params["b1"])
    h2 = sig(params["w3"] * x1 + params["w4"] * x2 + params["b2"])
    y = sig(params["w5"] * h1 + params["w6"] * h2 + params["b3"])
    return 0.5 * (y - t) ** 2


def by_hand(x: float) -> float:
    """Round as a student writes a number down: three decimals, half away from zero, of the value
    read at 15 significant digits (0.25·0.05 + 0.30·0.10 + 0.35 is 0.3925, not 0.39249999999999996)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(f"{x:.15g}").quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def hand_calculation_values(
    w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
    x1=0.05, x2=0.10, t=0.50, eta=0.5,
) -> tuple[dict[str, float], dict[str, float]]:
    """One iteration worked by hand: every value rounded (``by_hand``) before it is used again.

    Returns the iteration's values and the post-update forward pass (from the rounded updated
    parameters), by the walkthrough JSON's names.
    """
    r = by_hand

    def forward(p: dict[str, float]) -> dict[str, float]:
        f: dict[str, float] = {}
        f["z_h1"] = r(p["w1"] * x1 + p["w2"] * x2 + p["b1"])
        f["h1"] = r(sig(f["z_h1"]))
        f["z_h2"] = r(p["w3"] * x1 + p["w4"] * x2 + p["b2"])
        f["h2"] = r(sig(f["z_h2"]))
        f["z_o"] = r(p["w5"] * f["h1"] + p["w6"] * f["h2"] + p["b3"])
        f["y_hat"] = r(sig(f["z_o"]))
        f["E"] = r(0.5 * (f["y_hat"] - t) ** 2)
        return f

    params = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "b1": b1, "b2": b2, "b3": b3}
    v = forward(params)
    v["dE_dyhat"] = r(v["y_hat"] - t)
    v["dyhat_dzo"] = r(v["y_hat"] * (1 - v["y_hat"]))
    v["delta_o"] = r(v["dE_dyhat"] * v["dyhat_dzo"])
    v["dE_dh1"] = r(v["delta_o"] * w5)
    v["dE_dh2"] = r(v["delta_o"] * w6)
    v["dh1_dzh1"] = r(v["h1"] * (1 - v["h1"]))
    v["dh2_dzh2"] = r(v["h2"] * (1 - v["h2"]))
    v["delta_h1"] = r(v["dE_dh1"] * v["dh1_dzh1"])
    v["delta_h2"] = r(v["dE_dh2"] * v["dh2_dzh2"])
    grads = {
        "w1": r(v["delta_h1"] * x1), "w2": r(v["delta_h1"] * x2), "b1": v["delta_h1"],
        "w3": r(v["delta_h2"] * x1), "w4": r(v["delta_h2"] * x2), "b2": v["delta_h2"],
        "w5": r(v["delta_o"] * v["h1"]), "w6": r(v["delta_o"] * v["h2"]), "b3": v["delta_o"],
    }
    updated = {}
    for name, g in grads.items():
        v[f"dE_d{name}"] = g
        v[f"{name}_new"] = updated[name] = r(params[name] - eta * g)
    return v, forward(updated)
