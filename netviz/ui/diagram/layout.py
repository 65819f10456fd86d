"""Where everything goes, computed from the layer sizes alone (no names are hard-coded).

Scene units: one unit is one pixel at 100 % zoom. Layers are columns left to right, units
of a layer are centred vertically; each non-input layer gets a constant-1 bias node on a row
below the network, under the previous layer's column (the lecture note's drawing of a bias as
a weight from a constant 1); the loss node E sits right of the output layer.
"""

from __future__ import annotations

from typing import NamedTuple

from netviz.model import Architecture

Point = tuple[float, float]

NODE_RADIUS = 48.0
BIAS_RADIUS = 20.0
LOSS_RADIUS = 42.0
COLUMN = 340.0
ROW_MAX = 240.0
ROW_MIN = 128.0
HEIGHT = 520.0
"""Height the tallest layer is spread over once it has more than three units."""
WEIGHT_LABEL_AT = 0.66
"""Weight labels sit this far along their edge, where the edges into a unit fan apart."""
BIAS_LABEL_AT = 0.36
FIRST_BIAS_LABEL_AT = 0.31
"""Bias labels into the first hidden layer sit nearer their node, clear of the last weight labels
(the rows of input-layer weight labels reach down to them)."""


def bias_label_at(layer: int) -> float:
    """How far along a bias edge into ``layer`` its label sits."""
    return FIRST_BIAS_LABEL_AT if layer == 1 else BIAS_LABEL_AT


def bias_node_name(layer: int) -> str:
    """Name of the constant-1 node feeding ``layer``'s biases (``1→1``, ``1→2`` …)."""
    return f"one{layer}"


class Layout(NamedTuple):
    units: dict[str, Point]
    """Centre of every unit, by unit name (x1, h1, o …)."""
    bias_nodes: dict[str, Point]
    loss: Point
    row: float
    width: float
    height: float
    left: float
    top: float


def compute(arch: Architecture) -> Layout:
    sizes = arch.layer_sizes
    tallest = max(sizes)
    row = ROW_MAX if tallest <= 3 else max(ROW_MIN, HEIGHT / (tallest - 1))
    units: dict[str, Point] = {}
    lowest = 0.0
    for layer, layer_units in enumerate(arch.layers):
        n = len(layer_units)
        for u in layer_units:
            y = (u.index - (n - 1) / 2) * row
            units[u.name] = (layer * COLUMN, y)
            lowest = max(lowest, y)
    bias_y = lowest + max(0.8 * row, 170.0)
    bias_nodes = {
        bias_node_name(layer): ((layer - 1) * COLUMN, bias_y)
        for layer in range(1, len(sizes))
    }
    last = len(sizes) - 1
    outputs = [units[u.name] for u in arch.layers[last]]
    loss = (last * COLUMN + 0.62 * COLUMN, sum(p[1] for p in outputs) / len(outputs))
    top = -((tallest - 1) / 2) * row - NODE_RADIUS - 60.0
    left = -NODE_RADIUS - 70.0
    right = loss[0] + LOSS_RADIUS + 130.0
    bottom = bias_y + BIAS_RADIUS + 50.0
    return Layout(units, bias_nodes, loss, row, right - left, bottom - top, left, top)


def along(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
