"""The loss history of a training session: one float64 per iteration, and a cheap overview of it.

A plot of millions of iterations cannot draw every point each frame. :meth:`LossHistory.envelope`
returns, for any range, at most about ``4 × buckets`` points that keep each bucket's minimum and
maximum, so spikes survive. It reads a min/max pyramid (level k holds the min and max of
blocks of 2^k·BASE points), so its cost depends on the number of buckets, not on the range.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

BASE = 1024
"""Points per block at the pyramid's first level.

The pyramid costs 2 × 8 bytes per block over all levels, about 32/BASE bytes per iteration
(0.03 with 1024) on top of the 8 of the value itself. Ranges of fewer than ``buckets × BASE``
points are reduced from the raw values instead (``np.minimum.reduceat``: under a millisecond
for a million points), so a smaller BASE would buy little speed for much memory."""

Floats = npt.NDArray[np.float64]


class LossHistory:
    """Append-only E per iteration (index = iteration), 8 bytes each, plus a min/max pyramid."""

    def __init__(self, values: Floats | list[float] | None = None) -> None:
        self._data: Floats = np.empty(1024, dtype=np.float64)
        self._n = 0
        self._levels: list[tuple[Floats, Floats, int]] = []  # (mins, maxs, filled blocks)
        self._min_positive: float | None = math.inf  # None: unknown since a truncate
        if values is not None:
            self.extend(values)

    def __len__(self) -> int:
        return self._n

    @property
    def values(self) -> Floats:
        """A read-only view of every stored value."""
        view = self._data[: self._n]
        view.flags.writeable = False
        return view

    def last(self) -> float:
        return float(self._data[self._n - 1]) if self._n else math.nan

    def min_positive(self) -> float | None:
        """The smallest loss above zero in the whole history (None if there is none).

        A log axis needs a floor for losses of exactly 0 (the lecture note's network reaches
        E = 0.0 after 668 iterations); a tenth of this is below every real loss, whatever range
        is shown. Kept as values arrive; after a truncate (undo) it is found again once."""
        if self._min_positive is None:
            positive = self._data[: self._n][self._data[: self._n] > 0]
            self._min_positive = float(positive.min()) if positive.size else math.inf
        return self._min_positive if math.isfinite(self._min_positive) else None

    def append(self, value: float) -> None:
        self.extend(np.asarray([value], dtype=np.float64))

    def extend(self, values: Floats | list[float] | object) -> None:
        """Add values (non-finite ones are refused: the history only holds real losses)."""
        arr = np.asarray(values, dtype=np.float64).ravel()
        if arr.size == 0:
            return
        if not np.all(np.isfinite(arr)):
            raise ValueError("loss history only holds finite values")
        need = self._n + arr.size
        if need > self._data.size:
            self._data = _grown(self._data, self._n, max(need, self._data.size * 2))
        self._data[self._n : need] = arr
        self._n = need
        if self._min_positive is not None:
            positive = arr[arr > 0]
            if positive.size:
                self._min_positive = min(self._min_positive, float(positive.min()))
        self._update_pyramid()

    def truncate(self, length: int) -> Floats:
        """Drop values from ``length`` on; returns a copy of what was dropped (for redo)."""
        length = max(0, min(length, self._n))
        dropped = self._data[length : self._n].copy()
        self._n = length
        self._min_positive = None
        for k, (mins, maxs, filled) in enumerate(self._levels):
            block = BASE << k
            self._levels[k] = (mins, maxs, min(filled, length // block))
        return dropped

    def clear(self) -> None:
        self.truncate(0)

    def _update_pyramid(self) -> None:
        k = 0
        while (BASE << k) <= self._n:
            block = BASE << k
            full = self._n // block
            if k == len(self._levels):
                self._levels.append((np.empty(0), np.empty(0), 0))
            mins, maxs, filled = self._levels[k]
            if full > filled:
                if full > mins.size:
                    cap = max(full, mins.size * 2, 16)
                    mins = _grown(mins, filled, cap)
                    maxs = _grown(maxs, filled, cap)
                if k == 0:
                    chunk = self._data[filled * block : full * block].reshape(-1, block)
                    mins[filled:full] = chunk.min(axis=1)
                    maxs[filled:full] = chunk.max(axis=1)
                else:
                    pm, px, _ = self._levels[k - 1]
                    mins[filled:full] = np.minimum(pm[2 * filled : 2 * full : 2], pm[2 * filled + 1 : 2 * full : 2])
                    maxs[filled:full] = np.maximum(px[2 * filled : 2 * full : 2], px[2 * filled + 1 : 2 * full : 2])
                self._levels[k] = (mins, maxs, full)
            k += 1

    def envelope(self, start: int = 0, stop: int | None = None, buckets: int = 2000) -> tuple[Floats, Floats]:
        """(x, y) for plotting iterations [start, stop): raw points when few, else min/max pairs.

        Never returns more than about ``4 × buckets`` points, whatever the range.
        """
        stop = self._n if stop is None else max(0, min(stop, self._n))
        start = max(0, min(start, stop))
        count = stop - start
        if count <= 2 * buckets:
            xs = np.arange(start, stop, dtype=np.float64)
            return xs, self._data[start:stop].copy()
        # Pick the coarsest level whose blocks are no bigger than a bucket.
        per_bucket = count / buckets
        level = -1
        while level + 1 < len(self._levels) and (BASE << (level + 1)) <= per_bucket:
            level += 1
        if level < 0:
            return self._raw_envelope(start, stop, buckets)
        block = BASE << level
        mins, maxs, filled = self._levels[level]
        b0 = -(-start // block)  # first whole block inside the range
        b1 = min(stop // block, filled)
        if b1 <= b0:
            return self._raw_envelope(start, stop, buckets)
        group = max(1, (b1 - b0) // buckets)
        nb = (b1 - b0) // group
        end_block = b0 + nb * group
        gm = mins[b0:end_block].reshape(nb, group).min(axis=1)
        gx = maxs[b0:end_block].reshape(nb, group).max(axis=1)
        mid: Floats = ((b0 + np.arange(nb) * group) * block + (group * block) / 2.0).astype(np.float64)
        out_x = np.repeat(mid, 2)
        out_y: Floats = np.empty(2 * nb, dtype=np.float64)
        out_y[0::2] = gm
        out_y[1::2] = gx
        # The ragged ends (less than a block each) as first/min/max/last, so the curve reaches
        # the range's edges exactly without handing thousands of raw points to the plot.
        hx, hy = self._edge(start, b0 * block)
        tx, ty = self._edge(end_block * block, stop)
        return np.concatenate([hx, out_x, tx]), np.concatenate([hy, out_y, ty])

    def _edge(self, start: int, stop: int) -> tuple[Floats, Floats]:
        if stop - start <= 4:
            return np.arange(start, stop, dtype=np.float64), self._data[start:stop].copy()
        seg = self._data[start:stop]
        lo, hi = int(seg.argmin()), int(seg.argmax())
        idx = sorted({0, lo, hi, seg.size - 1})
        return np.asarray(idx, dtype=np.float64) + start, seg[idx].copy()

    def _raw_envelope(self, start: int, stop: int, buckets: int) -> tuple[Floats, Floats]:
        data = self._data[start:stop]
        edges = np.linspace(0, data.size, buckets + 1).astype(np.int64)
        edges = np.unique(edges[:-1])
        mins = np.minimum.reduceat(data, edges)
        maxs = np.maximum.reduceat(data, edges)
        xs = np.repeat(start + edges.astype(np.float64), 2)
        ys = np.empty(2 * edges.size)
        ys[0::2] = mins
        ys[1::2] = maxs
        return xs, ys


def _grown(array: Floats, used: int, capacity: int) -> Floats:
    """A bigger buffer holding ``array[:used]``; the rest is left unwritten (``np.empty``), so the
    spare capacity is address space the system has not yet had to back with memory."""
    grown = np.empty(capacity, dtype=np.float64)
    grown[:used] = array[:used]
    return grown
