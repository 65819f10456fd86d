"""The network as data: layer sizes, named units and parameters, and the problem it is set.

Names follow the lecture note for any layer sizes. Weights are numbered w1, w2, … layer by
layer, unit by unit, source by source (so in 2-2-1: w1, w2 → h1; w3, w4 → h2; w5, w6 → o);
biases b1, b2, … one per non-input unit in the same order. Hidden units are h1, h2, … (with
one hidden layer) or h1_1, h1_2, h2_1, … (with several); the output is o with activation ŷ
(or o1, o2, … with ŷ1, ŷ2, … when there are several outputs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from netviz.model.activations import Activation, get_activation
from netviz.model.losses import Loss, get_loss

MAX_UNITS_PER_LAYER = 64
MAX_LAYERS = 8
LEARNING_RATE = "eta"
MAX_ITERATION = 10**15
"""The last iteration a lesson can reach (a file holds at most this; 100 years of full-speed play)."""


@dataclass(frozen=True)
class Unit:
    """One neuron (or input) and the keys of every quantity the trace records for it."""

    layer: int
    index: int
    name: str
    """Diagram name: ``x1``, ``h1``, ``o``."""
    a_key: str
    """Key of its output: ``x1``, ``h1``, ``y_hat``."""
    z_key: str = ""
    """Key of its pre-activation: ``z_h1``, ``z_o`` (inputs have none)."""

    @property
    def dE_da_key(self) -> str:
        return f"dE_d{self.a_key.replace('_', '')}"

    @property
    def slope_key(self) -> str:
        return f"d{self.a_key.replace('_', '')}_d{self.z_key.replace('_', '')}"

    @property
    def delta_key(self) -> str:
        return f"delta_{self.name}"


@dataclass(frozen=True)
class Param:
    """A weight or bias: which unit it feeds (``layer``, ``unit``) and from where (``source``)."""

    name: str
    index: int
    """Position in :attr:`Problem.params`."""
    layer: int
    unit: int
    source: int | None
    """Index of the source unit in the previous layer; ``None`` for a bias."""

    @property
    def is_bias(self) -> bool:
        return self.source is None

    @property
    def grad_key(self) -> str:
        return f"dE_d{self.name}"

    @property
    def new_key(self) -> str:
        return f"{self.name}_new"


@dataclass(frozen=True)
class Architecture:
    """Layer sizes plus the activation and loss; everything else is derived from these."""

    layer_sizes: tuple[int, ...] = (2, 2, 1)
    activation: str = "sigmoid"
    loss: str = "half_squared_error"

    def __post_init__(self) -> None:
        sizes = self.layer_sizes
        if not 2 <= len(sizes) <= MAX_LAYERS:
            raise ValueError(f"a network needs 2 to {MAX_LAYERS} layers, not {len(sizes)}")
        for n in sizes:
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_UNITS_PER_LAYER:
                raise ValueError(f"layer sizes must be whole numbers from 1 to {MAX_UNITS_PER_LAYER}, not {n!r}")
        get_activation(self.activation)
        get_loss(self.loss)

    @property
    def label(self) -> str:
        return "-".join(str(n) for n in self.layer_sizes)

    @cached_property
    def act(self) -> Activation:
        return get_activation(self.activation)

    @cached_property
    def loss_fn(self) -> Loss:
        return get_loss(self.loss)

    @cached_property
    def layers(self) -> tuple[tuple[Unit, ...], ...]:
        """Units of every layer, inputs first."""
        sizes = self.layer_sizes
        last = len(sizes) - 1
        out: list[tuple[Unit, ...]] = []
        for layer, n in enumerate(sizes):
            units = []
            for j in range(n):
                k = str(j + 1)
                if layer == 0:
                    units.append(Unit(layer, j, f"x{k}", f"x{k}"))
                    continue
                if layer == last:
                    name = "o" if n == 1 else f"o{k}"
                    a_key = "y_hat" if n == 1 else f"y_hat{k}"
                else:
                    name = f"h{k}" if last == 2 else f"h{layer}_{k}"
                    a_key = name
                units.append(Unit(layer, j, name, a_key, f"z_{name}"))
            out.append(tuple(units))
        return tuple(out)

    @cached_property
    def params(self) -> tuple[Param, ...]:
        """All parameters in storage order: every weight (w1, w2, …), then every bias (b1, …)."""
        weights: list[Param] = []
        biases: list[Param] = []
        for layer in range(1, len(self.layer_sizes)):
            for j in range(self.layer_sizes[layer]):
                for i in range(self.layer_sizes[layer - 1]):
                    weights.append(Param(f"w{len(weights) + 1}", 0, layer, j, i))
                biases.append(Param(f"b{len(biases) + 1}", 0, layer, j, None))
        ordered = weights + biases
        return tuple(
            Param(p.name, idx, p.layer, p.unit, p.source) for idx, p in enumerate(ordered)
        )

    @cached_property
    def param_index(self) -> Mapping[str, int]:
        return {p.name: p.index for p in self.params}

    @cached_property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def weight(self, layer: int, unit: int, source: int) -> Param:
        """The weight from ``source`` in layer−1 to ``unit`` in ``layer``."""
        return self._grid[layer][unit][source]

    def bias(self, layer: int, unit: int) -> Param:
        return self._grid[layer][unit][-1]

    def unit_params(self, layer: int, unit: int) -> tuple[Param, ...]:
        """A unit's incoming weights in source order, then its bias (the note's order)."""
        return tuple(self._grid[layer][unit])

    @cached_property
    def _grid(self) -> dict[int, list[list[Param]]]:
        grid: dict[int, list[list[Param]]] = {}
        for layer in range(1, len(self.layer_sizes)):
            grid[layer] = [[] for _ in range(self.layer_sizes[layer])]
        for p in self.params:
            if not p.is_bias:
                grid[p.layer][p.unit].append(p)
        for p in self.params:
            if p.is_bias:
                grid[p.layer][p.unit].append(p)
        return grid

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(u.a_key for u in self.layers[0])

    @property
    def target_names(self) -> tuple[str, ...]:
        n = self.layer_sizes[-1]
        return ("t",) if n == 1 else tuple(f"t{k + 1}" for k in range(n))

    @property
    def scalar_names(self) -> tuple[str, ...]:
        """Every number a user can set: parameters, inputs, targets and η."""
        return self.param_names + self.input_names + self.target_names + (LEARNING_RATE,)


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, not {v!r}")
    return v


# The lecture note's example: the app's default network.
LECTURE_NOTE_PARAMS = {
    "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45,
    "b1": 0.35, "b2": 0.35, "b3": 0.60,
}
LECTURE_NOTE_INPUTS = (0.05, 0.10)
LECTURE_NOTE_TARGET = 0.50
LECTURE_NOTE_LR = 0.5


@dataclass(frozen=True)
class Problem:
    """Everything that determines the maths: architecture, parameters, one example and η.

    Immutable: every edit returns a new problem, so a view can keep the snapshot it drew.
    """

    architecture: Architecture
    params: tuple[float, ...]
    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    learning_rate: float
    _values: dict[str, float] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        arch = self.architecture
        for what, got, want in (
            ("parameters", len(self.params), len(arch.params)),
            ("inputs", len(self.inputs), arch.layer_sizes[0]),
            ("targets", len(self.targets), arch.layer_sizes[-1]),
        ):
            if got != want:
                raise ValueError(f"a {arch.label} network has {want} {what}, not {got}")
        values: dict[str, float] = {}
        for names, nums in (
            (arch.param_names, self.params),
            (arch.input_names, self.inputs),
            (arch.target_names, self.targets),
            ((LEARNING_RATE,), (self.learning_rate,)),
        ):
            for name, v in zip(names, nums, strict=True):
                values[name] = _finite(name, v)
        object.__setattr__(self, "params", tuple(values[n] for n in arch.param_names))
        object.__setattr__(self, "inputs", tuple(values[n] for n in arch.input_names))
        object.__setattr__(self, "targets", tuple(values[n] for n in arch.target_names))
        object.__setattr__(self, "learning_rate", values[LEARNING_RATE])
        object.__setattr__(self, "_values", values)

    @classmethod
    def lecture_note(cls) -> Problem:
        """The 2-2-1 sigmoid network of the lecture note, with its one training example."""
        arch = Architecture((2, 2, 1))
        return cls(
            arch,
            tuple(LECTURE_NOTE_PARAMS[n] for n in arch.param_names),
            LECTURE_NOTE_INPUTS,
            (LECTURE_NOTE_TARGET,),
            LECTURE_NOTE_LR,
        )

    @classmethod
    def from_values(cls, architecture: Architecture, values: Mapping[str, float]) -> Problem:
        """Build a problem from a name → value mapping that names every scalar exactly once."""
        names = architecture.scalar_names
        missing = [n for n in names if n not in values]
        unknown = [n for n in values if n not in names]
        if missing:
            raise ValueError(f"missing value for {', '.join(missing)}")
        if unknown:
            raise ValueError(f"{unknown[0]} is not a value of a {architecture.label} network")
        return cls(
            architecture,
            tuple(values[n] for n in architecture.param_names),
            tuple(values[n] for n in architecture.input_names),
            tuple(values[n] for n in architecture.target_names),
            values[LEARNING_RATE],
        )

    def value(self, name: str) -> float:
        """Any settable scalar by name (``w5``, ``x1``, ``t``, ``eta``)."""
        try:
            return self._values[name]
        except KeyError:
            raise ValueError(self._unknown(name)) from None

    def values(self) -> dict[str, float]:
        """A copy of every settable scalar, by name."""
        return dict(self._values)

    def param(self, name: str) -> float:
        if name not in self.architecture.param_index:
            raise ValueError(self._unknown(name))
        return self._values[name]

    def with_value(self, name: str, value: float) -> Problem:
        """A copy with one scalar changed; raises ValueError naming the problem."""
        if name not in self._values:
            raise ValueError(self._unknown(name))
        values = dict(self._values)
        values[name] = _finite(name, value)
        return Problem.from_values(self.architecture, values)

    def with_params(self, params: tuple[float, ...]) -> Problem:
        return Problem(self.architecture, tuple(params), self.inputs, self.targets, self.learning_rate)

    def _unknown(self, name: str) -> str:
        arch = self.architecture
        ws = [p.name for p in arch.params if not p.is_bias]
        bs = [p.name for p in arch.params if p.is_bias]
        known = f"{ws[0]}..{ws[-1]}, {bs[0]}..{bs[-1]}, {', '.join(arch.input_names)}, "
        known += f"{', '.join(arch.target_names)}, eta"
        return f"{name!r} is not a value of this {arch.label} network (known: {known})"
