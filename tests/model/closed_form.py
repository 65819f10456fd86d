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
