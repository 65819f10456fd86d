"""How each trace key is written: plain Unicode for labels, HTML for rich text views.

Keys are the trace's (``z_h1``, ``dE_dyhat``, ``delta_o``, ``w5_new``); this module is the one
place that knows how a student writes them (z_h₁ / z<sub>h1</sub>, ∂E/∂ŷ, δ<sub>o</sub>, w5′).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Atom = Callable[[str], str]

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
_SUB = str.maketrans("0123456789aehijklmnoprstuvx_", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ_")


def escape(text: str) -> str:
    """What :func:`html.escape` returns, without importing :mod:`html` at start-up (its entity
    table alone was 2 ms of the time to the first painted window)."""
    return text.translate(_HTML)


def _letter(name: str) -> tuple[str, str]:
    """Split a unit/quantity name into its symbol and subscript: h1 → (h, 1), y_hat → (ŷ, '')."""
    if name.startswith("y_hat"):
        return "ŷ", name[5:]
    if name == "eta":
        return "η", ""
    m = re.fullmatch(r"([A-Za-z])(\w*)", name)
    if not m:
        return name, ""
    return m.group(1), m.group(2).replace("_", ",")


def _compact(name: str) -> str:
    """Undo the underscore-free spelling used inside derivative keys: yhat → y_hat, zh1 → z_h1."""
    if name.startswith("yhat"):
        return "y_hat" + name[4:]
    if name.startswith("z") and len(name) > 1 and not name.startswith("z_"):
        return "z_" + name[1:]
    return name


def html(key: str) -> str:
    """Rich-text symbol: ``z<sub>h1</sub>``, ``∂E/∂ŷ``, ``δ<sub>h1</sub>``, ``w<sub>5</sub>′``."""
    return _render(key, _html_atom)


def text(key: str) -> str:
    """Plain Unicode symbol: ``z_h₁``-style subscripts where Unicode has them."""
    return _render(key, _text_atom)


def _html_atom(name: str) -> str:
    if name.startswith("z_"):
        return f"z<sub>{escape(name[2:].replace('_', ','))}</sub>"
    base, sub = _letter(name)
    return f"{escape(base)}<sub>{escape(sub)}</sub>" if sub else escape(base)


def _text_atom(name: str) -> str:
    if name.startswith("z_"):
        return "z" + name[2:].replace("_", ",").translate(_SUB)
    base, sub = _letter(name)
    if not sub:
        return base
    translated = sub.translate(_SUB)
    return base + translated


def _render(key: str, atom: Atom) -> str:
    if key.endswith("_new"):
        return atom(key[:-4]) + "′"
    if key.startswith("delta_"):
        return _delta(key[6:], atom)
    m = re.fullmatch(r"d(\w+?)_d(\w+)", key)
    if m:
        top, bottom = _compact(m.group(1)), _compact(m.group(2))
        return f"∂{atom(top)}/∂{atom(bottom)}"
    return atom(key)


def _delta(unit: str, atom: Atom) -> str:
    if atom is _html_atom:
        return f"δ<sub>{escape(unit.replace('_', ','))}</sub>"
    return "δ" + unit.replace("_", ",").translate(_SUB)
