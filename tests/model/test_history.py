"""LossHistory: storage, and the envelope the plot draws, checked against brute-force NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netviz.model.history import LossHistory

Floats = np.ndarray


def check_envelope(data: Floats, start: int, stop: int, buckets: int, xs: Floats, ys: Floats) -> None:
    """What a plot needs from an envelope of data[start:stop], checked point by point.

    - at most about 4 points per bucket (a bounded number, whatever the range);
    - the range's minimum and maximum are among the points;
    - every point is a value the data really has within one bucket of the point's x;
    - every value in the range lies between the lowest and highest point within one bucket of it
      (so no spike or dip is lost, at any zoom).
    """
    seg = data[start:stop]
    assert xs.shape == ys.shape
    assert xs.size <= 4 * buckets + 8
    if seg.size == 0:
        assert xs.size == 0
        return
    assert ys.min() == seg.min()
    assert ys.max() == seg.max()
    assert np.all(np.diff(xs) >= 0)
    assert xs[0] >= start and xs[-1] <= stop
    w = math.ceil(seg.size / buckets) + 1  # one bucket, rounded up
    lo_env = np.full(seg.size, np.inf)
    hi_env = np.full(seg.size, -np.inf)
    for x, y in zip(xs, ys, strict=True):
        lo = max(start, math.floor(x) - w)
        hi = min(stop, math.ceil(x) + w + 1)
        assert np.any(data[lo:hi] == y), (x, y)
        lo_env[lo - start : hi - start] = np.minimum(lo_env[lo - start : hi - start], y)
        hi_env[lo - start : hi - start] = np.maximum(hi_env[lo - start : hi - start], y)
    assert np.all(seg >= lo_env)
    assert np.all(seg <= hi_env)


def noisy(n: int, seed: int) -> Floats:
    rng = np.random.default_rng(seed)
    y = np.exp(-np.arange(n) / max(1, n / 5)) + 0.05 * rng.standard_normal(n)
    if n:
        y[rng.integers(0, n, size=1 + n // 50_000)] += rng.choice([-3.0, 3.0])  # rare spikes and dips
    return y


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300_000),
    seed=st.integers(0, 2**32 - 1),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
    buckets=st.integers(1, 600),
    chunk=st.sampled_from([1, 777, 65_536, 10**9]),
)
def test_envelope_keeps_every_range_min_and_max(n: int, seed: int, a: float, b: float, buckets: int,
                                                chunk: int) -> None:
    data = noisy(n, seed)
    h = LossHistory()
    if chunk == 1:
        for v in data[:2000]:
            h.append(float(v))
        h.extend(data[2000:])
    else:
        for s in range(0, n, chunk):
            h.extend(data[s : s + chunk])
    assert len(h) == n
    np.testing.assert_array_equal(h.values, data)
    start, stop = sorted((int(a * n), int(b * n)))
    xs, ys = h.envelope(start, stop, buckets)
    check_envelope(data, start, stop, buckets, xs, ys)


@pytest.mark.parametrize("n", [2_000_000, 3_000_001])
@pytest.mark.parametrize("buckets", [1, 3, 200, 800, 1920])
def test_whole_history_envelope_is_bounded_and_faithful(n: int, buckets: int) -> None:
    data = noisy(n, n + buckets)
    h = LossHistory(data)
    xs, ys = h.envelope(0, n, buckets)
    assert xs.size <= 4 * buckets + 8
    check_envelope(data, 0, n, buckets, xs, ys)
    for start, stop in [(1, n - 1), (n // 3, n // 3 + 123_457), (12_345, 12_345 + 2_000_003), (n - 5_000, n)]:
        stop = min(stop, n)
        check_envelope(data, start, stop, buckets, *h.envelope(start, stop, buckets))


@pytest.mark.parametrize("buckets", [1, 2, 300])
def test_a_single_spike_survives_every_zoom(buckets: int) -> None:
    n = 3_500_000
    data = np.zeros(n)
    data[987_654] = 5.0
    data[123_456] = -2.0
    h = LossHistory(data)
    for start, stop in [(0, n), (900_000, 1_000_000), (987_000, 988_000), (100_000, 990_000)]:
        xs, ys = h.envelope(start, stop, buckets)
        assert ys.max() == 5.0
        assert abs(xs[int(ys.argmax())] - 987_654) <= (stop - start) / buckets + 1
        if start <= 123_456 < stop:
            assert ys.min() == -2.0
        else:
            assert ys.min() == 0.0


def test_few_points_are_returned_exactly() -> None:
    data = noisy(1_000, 3)
    h = LossHistory(data)
    xs, ys = h.envelope(10, 500, 400)
    np.testing.assert_array_equal(xs, np.arange(10, 500))
    np.testing.assert_array_equal(ys, data[10:500])


def test_truncate_then_extend_matches_a_fresh_history() -> None:
    first, second = noisy(700_000, 1), noisy(500_000, 2)
    h = LossHistory(first)
    dropped = h.truncate(333_333)
    np.testing.assert_array_equal(dropped, first[333_333:])
    h.extend(second)
    expected = np.concatenate([first[:333_333], second])
    fresh = LossHistory(expected)
    np.testing.assert_array_equal(h.values, expected)
    for start, stop, buckets in [(0, len(expected), 500), (300_000, 400_000, 100), (5, 800_000, 1000)]:
        got = h.envelope(start, stop, buckets)
        want = fresh.envelope(start, stop, buckets)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])
        check_envelope(expected, start, stop, buckets, *got)


def test_out_of_range_requests_are_clamped() -> None:
    data = noisy(5_000, 4)
    h = LossHistory(data)
    xs, ys = h.envelope(-100, 10**9, 100)
    check_envelope(data, 0, 5_000, 100, xs, ys)
    xs, ys = h.envelope(4_000, 3_000, 100)
    assert xs.size == ys.size == 0
    assert LossHistory().envelope(0, None, 100)[0].size == 0


def test_non_finite_values_are_refused_and_nothing_changes() -> None:
    h = LossHistory([0.5, 0.4])
    with pytest.raises(ValueError, match="finite"):
        h.extend([0.3, math.nan])
    with pytest.raises(ValueError, match="finite"):
        h.append(math.inf)
    assert h.values.tolist() == [0.5, 0.4]
    assert h.last() == 0.4


def test_memory_is_eight_bytes_per_value_plus_a_small_pyramid() -> None:
    n = 4_000_000
    h = LossHistory()
    chunk = noisy(20_000, 5)
    for _ in range(n // chunk.size):
        h.extend(chunk)
    assert len(h) == n
    assert h.values.nbytes == 8 * n
    pyramid = sum(mins.nbytes + maxs.nbytes for mins, maxs, _ in h._levels)
    assert pyramid / n < 0.1  # bytes per iteration on top of the 8 of the value itself


def test_min_positive_follows_appends_and_truncates() -> None:
    h = LossHistory()
    assert h.min_positive() is None
    h.extend([0.5, 0.0, 0.25])
    assert h.min_positive() == 0.25
    h.extend(np.zeros(5000))
    assert h.min_positive() == 0.25  # zeros are not positive
    h.append(1e-300)
    assert h.min_positive() == 1e-300
    h.truncate(3)  # undo drops the tail: found again from what is left
    assert h.min_positive() == 0.25
    h.truncate(2)
    assert h.min_positive() == 0.5
    h.clear()
    assert h.min_positive() is None
