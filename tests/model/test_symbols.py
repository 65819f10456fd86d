"""symbols.escape stands in for html.escape (which start-up does not import): same output."""

from __future__ import annotations

import html
import random

from netviz.model.symbols import escape


def test_escape_matches_html_escape_on_markup_and_quotes() -> None:
    for text in ["", "plain", "a < b & c > d", "\"quoted\" and 'single'", "&amp; already", "<sub>1</sub>",
                 "∂E/∂w₅ − η·δ", "&&<<>>\"\"''"]:
        assert escape(text) == html.escape(text)


def test_escape_matches_html_escape_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "&<>\"'ab ∂₁\n"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        assert escape(text) == html.escape(text)
