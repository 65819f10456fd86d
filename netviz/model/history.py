"""The loss history of a training session: every E exactly, packed losslessly as it arrives.

Two things make millions of iterations cheap:

- **Storage.** Values arrive in a raw float64 buffer of :data:`CHUNK` values; a full buffer is
  packed losslessly (:func:`pack`: split into its eight byte planes, and each plane that shrinks
  is zlib-compressed). A loss curve's sign, exponent and leading mantissa bytes barely change,
  so a chunk takes from well under 1 byte per value (a converged curve) to about 7 (noise in
  every mantissa bit) instead of 8, and every value reads back bit for bit.
  Packed chunks never change, so a frozen copy of the history (:meth:`LossHistory.image`, for
  undo) shares them instead of copying.
- **Overview.** A plot cannot draw every point each frame. :meth:`LossHistory.envelope`
  returns, for any range, at most about ``4 × buckets`` points that keep each bucket's minimum
  and maximum, so spikes survive. It reads a min/max pyramid (level k holds the min and max of
  blocks of 2^k·BASE points), so its cost depends on the number of buckets, not on the range;
  only ranges shorter than ``buckets × BASE`` read the values themselves.
"""

from __future__ import annotations

import math
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

BASE = 128
"""Points per block at the pyramid's first level.

The pyramid costs 2 × 8 bytes per block over all levels, about 32/BASE bytes per iteration
(0.25 with 128). Ranges of fewer than ``buckets × BASE`` points are reduced from the values
instead, which unpacks at most ``buckets × BASE / CHUNK`` chunks (16 for a 2,000-pixel plot)."""

CHUNK = 128 * BASE
"""Values per packed chunk (16,384: 128 KiB raw). A multiple of BASE, so the pyramid's first
level is always computed from the raw buffer before it is packed."""

CACHE_CHUNKS = 32
"""Unpacked chunks kept for reading (4 MiB): more than one zoomed plot range needs, so panning
and a plot that follows the newest iterations do not unpack the same chunk every frame."""

_PLANE_SAMPLE = 2048
"""Bytes of a plane compressed first to judge whether the whole plane is worth compressing
(low mantissa bytes are noise: trying them in full would triple the cost of packing)."""


class PackedChunk(NamedTuple):
    """CHUNK float64 values as eight byte planes, each raw or zlib-compressed."""

    planes: tuple[bytes, ...]
    compressed: tuple[bool, ...]
    min_positive: float  # the smallest value above zero (inf if none): min_positive() needs no unpacking

    @property
    def nbytes(self) -> int:
        return sum(len(p) for p in self.planes)


def pack(values: Floats) -> PackedChunk:
    """Pack float64 values losslessly (any length; the history packs CHUNK at a time)."""
    arr = np.ascontiguousarray(values, dtype=np.float64)
    planes = np.ascontiguousarray(arr.view(np.uint8).reshape(-1, 8).T)
    out: list[bytes] = []
    flags: list[bool] = []
    for plane in planes:
        raw = plane.tobytes()
        packed = raw
        sample = raw[:_PLANE_SAMPLE]
        if len(zlib.compress(sample, 1)) < 0.9 * len(sample):
            trial = zlib.compress(raw, 1)
            if len(trial) < len(raw):
                packed = trial
        out.append(packed)
        flags.append(packed is not raw)
    positive = arr[arr > 0]
    return PackedChunk(tuple(out), tuple(flags), float(positive.min()) if positive.size else math.inf)


def unpack(chunk: PackedChunk) -> Floats:
    """The values of a packed chunk, bit for bit (a new, writable array)."""
    raw = [zlib.decompress(p) if c else p for p, c in zip(chunk.planes, chunk.compressed, strict=True)]
    planes = np.frombuffer(b"".join(raw), dtype=np.uint8).reshape(8, -1)
    out: Floats = np.empty(planes.shape[1], dtype=np.float64)  # owns its memory: can be locked for good
    out.view(np.uint8).reshape(-1, 8)[:] = planes.T
    return out


_EMPTY: Floats = np.empty(0, dtype=np.float64)
_EMPTY.flags.writeable = False

_Level = tuple[Floats, Floats, int]  # (mins, maxs, filled blocks)


@dataclass(frozen=True)
class HistoryImage:
    """A frozen copy of a history, for undo: it shares the packed chunks and copies the rest."""

    chunks: tuple[PackedChunk, ...]
    tail: Floats
    levels: tuple[_Level, ...]

    def __len__(self) -> int:
        return len(self.chunks) * CHUNK + self.tail.size


class LossHistory:
    """Append-only E per iteration (index = iteration), packed, plus a min/max pyramid."""

    def __init__(self, values: Floats | list[float] | None = None) -> None:
        self._chunks: list[PackedChunk] = []
        self._tail: Floats = np.empty(CHUNK, dtype=np.float64)  # values from len(chunks) × CHUNK on
        self._tail_n = 0
        self._cache: OrderedDict[int, Floats] = OrderedDict()
        self._levels: list[_Level] = []
        self._min_positive: float | None = math.inf  # None: unknown since a truncate
        if values is not None:
            self.extend(values)

    def __len__(self) -> int:
        return len(self._chunks) * CHUNK + self._tail_n

    @property
    def values(self) -> Floats:
        """Every stored value, read-only (unpacks the whole history: O(n)); see :meth:`read`."""
        return self.read(0, len(self))

    @property
    def nbytes(self) -> int:
        """Memory the values and the pyramid use (not the read cache, which is bounded, nor the
        pyramid's spare capacity, which is never written and so never backed by memory)."""
        chunks = sum(c.nbytes for c in self._chunks)
        return chunks + self._tail.nbytes + sum(16 * filled for _, _, filled in self._levels)

    def read(self, start: int, stop: int) -> Floats:
        """Values [start, stop) as a read-only array that later changes to the history never alter.

        A range inside one packed chunk is a view of that chunk's (read-only, immutable) values;
        anything from the raw buffer, which is reused, is copied."""
        n = len(self)
        stop = max(0, min(stop, n))
        start = max(0, min(start, stop))
        if start == stop:
            return _EMPTY
        first, last = start // CHUNK, (stop - 1) // CHUNK
        parts = []
        for c in range(first, last + 1):
            data = self._chunk_values(c)
            lo = start - c * CHUNK if c == first else 0
            hi = stop - c * CHUNK if c == last else CHUNK
            parts.append(data[max(lo, 0) : hi])
        if len(parts) > 1:
            out = np.concatenate(parts)
        elif last == len(self._chunks):
            out = parts[0].copy()
        else:
            return parts[0]  # a view of a read-only unpacked chunk: cannot be made writable
        out.flags.writeable = False
        return out

    def last(self) -> float:
        n = len(self)
        return float(self.read(n - 1, n)[0]) if n else math.nan

    def min_positive(self) -> float | None:
        """The smallest loss above zero in the whole history (None if there is none).

        A log axis needs a floor for losses of exactly 0 (the lecture note's network reaches
        E = 0.0 after 668 iterations); a tenth of this is below every real loss, whatever range
        is shown. Kept as values arrive; after a truncate (undo) it is found again from each
        packed chunk's own minimum and the raw buffer."""
        if self._min_positive is None:
            tail = self._tail[: self._tail_n]
            positive = tail[tail > 0]
            found = float(positive.min()) if positive.size else math.inf
            self._min_positive = min([found, *(c.min_positive for c in self._chunks)])
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
        if self._min_positive is not None:
            positive = arr[arr > 0]
            if positive.size:
                self._min_positive = min(self._min_positive, float(positive.min()))
        done = 0
        while done < arr.size:
            take = min(CHUNK - self._tail_n, arr.size - done)
            self._tail[self._tail_n : self._tail_n + take] = arr[done : done + take]
            self._tail_n += take
            done += take
            self._update_first_level()
            if self._tail_n == CHUNK:
                self._chunks.append(pack(self._tail))
                self._tail_n = 0
        self._update_upper_levels()

    def truncate(self, length: int) -> Floats:
        """Drop values from ``length`` on; returns a copy of what was dropped (for redo)."""
        n = len(self)
        length = max(0, min(length, n))
        dropped = np.array(self.read(length, n))
        self._drop(length)
        return dropped

    def clear(self) -> None:
        """Drop every value (without unpacking them, as :meth:`truncate` would to return them)."""
        self._drop(0)

    def _drop(self, length: int) -> None:
        c = length // CHUNK
        if c < len(self._chunks):
            if length > c * CHUNK:
                self._tail[:] = self._chunk_values(c)
            del self._chunks[c:]
            for k in [k for k in self._cache if k >= c]:
                del self._cache[k]
        self._tail_n = length - c * CHUNK
        self._min_positive = None
        for k, (mins, maxs, filled) in enumerate(self._levels):
            self._levels[k] = (mins, maxs, min(filled, length // (BASE << k)))

    def image(self) -> HistoryImage:
        """A frozen copy for undo; the packed chunks are shared, not copied."""
        levels = tuple((_frozen(m[:f]), _frozen(x[:f]), f) for m, x, f in self._levels)
        return HistoryImage(tuple(self._chunks), _frozen(self._tail[: self._tail_n]), levels)

    def restore(self, image: HistoryImage) -> None:
        """Become exactly the history an :meth:`image` was taken of."""
        self._chunks = list(image.chunks)
        self._tail[: image.tail.size] = image.tail
        self._tail_n = image.tail.size
        self._cache.clear()
        self._levels = [(m.copy(), x.copy(), f) for m, x, f in image.levels]
        self._min_positive = None

    # ---- storage ------------------------------------------------------------------------------
    def _chunk_values(self, c: int) -> Floats:
        """Chunk ``c``'s values: the raw buffer for the newest, else unpacked through the cache."""
        if c == len(self._chunks):
            return self._tail[: self._tail_n]
        cached = self._cache.get(c)
        if cached is None:
            cached = unpack(self._chunks[c])
            cached.flags.writeable = False  # read() hands out views of it
            self._cache[c] = cached
            if len(self._cache) > CACHE_CHUNKS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(c)
        return cached

    # ---- pyramid ------------------------------------------------------------------------------
    def _update_first_level(self) -> None:
        """Blocks of BASE completed in the raw buffer (called before a full buffer is packed)."""
        n = len(self)
        full = n // BASE
        if not self._levels:
            if full == 0:
                return
            self._levels.append((np.empty(0), np.empty(0), 0))
        mins, maxs, filled = self._levels[0]
        if full <= filled:
            return
        mins, maxs = _with_room(mins, filled, full), _with_room(maxs, filled, full)
        offset = len(self._chunks) * CHUNK
        block = self._tail[filled * BASE - offset : full * BASE - offset].reshape(-1, BASE)
        mins[filled:full] = block.min(axis=1)
        maxs[filled:full] = block.max(axis=1)
        self._levels[0] = (mins, maxs, full)

    def _update_upper_levels(self) -> None:
        n = len(self)
        k = 1
        while (BASE << k) <= n:
            full = n // (BASE << k)
            if k == len(self._levels):
                self._levels.append((np.empty(0), np.empty(0), 0))
            mins, maxs, filled = self._levels[k]
            if full > filled:
                mins, maxs = _with_room(mins, filled, full), _with_room(maxs, filled, full)
                pm, px, _ = self._levels[k - 1]
                mins[filled:full] = np.minimum(pm[2 * filled : 2 * full : 2], pm[2 * filled + 1 : 2 * full : 2])
                maxs[filled:full] = np.maximum(px[2 * filled : 2 * full : 2], px[2 * filled + 1 : 2 * full : 2])
                self._levels[k] = (mins, maxs, full)
            k += 1

    def envelope(self, start: int = 0, stop: int | None = None, buckets: int = 2000) -> tuple[Floats, Floats]:
        """(x, y) for plotting iterations [start, stop): raw points when few, else min/max pairs.

        Never returns more than about ``4 × buckets`` points, whatever the range.
        """
        n = len(self)
        stop = n if stop is None else max(0, min(stop, n))
        start = max(0, min(start, stop))
        count = stop - start
        if count <= 2 * buckets:
            xs = np.arange(start, stop, dtype=np.float64)
            return xs, np.array(self.read(start, stop))
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
        seg = self.read(start, stop)
        if seg.size <= 4:
            return np.arange(start, stop, dtype=np.float64), np.array(seg)
        lo, hi = int(seg.argmin()), int(seg.argmax())
        idx = sorted({0, lo, hi, seg.size - 1})
        return np.asarray(idx, dtype=np.float64) + start, seg[idx].copy()

    def _raw_envelope(self, start: int, stop: int, buckets: int) -> tuple[Floats, Floats]:
        data = self.read(start, stop)
        edges = np.linspace(0, data.size, buckets + 1).astype(np.int64)
        edges = np.unique(edges[:-1])
        mins = np.minimum.reduceat(data, edges)
        maxs = np.maximum.reduceat(data, edges)
        xs = np.repeat(start + edges.astype(np.float64), 2)
        ys = np.empty(2 * edges.size)
        ys[0::2] = mins
        ys[1::2] = maxs
        return xs, ys


def _frozen(array: Floats) -> Floats:
    """A read-only copy."""
    out = array.copy()
    out.flags.writeable = False
    return out


def _with_room(array: Floats, used: int, need: int) -> Floats:
    """``array`` if it holds ``need`` values, else a buffer at least twice as big holding
    ``array[:used]``; the rest is left unwritten (``np.empty``), so the spare capacity is address
    space the system has not yet had to back with memory."""
    if need <= array.size:
        return array
    grown = np.empty(max(need, array.size * 2, 16), dtype=np.float64)
    grown[:used] = array[:used]
    return grown
