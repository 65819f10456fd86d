"""LossHistory: storage, and the envelope the plot draws, checked against brute-force NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netviz.model.history import BASE, CHUNK, LossHistory, pack, unpack

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


def lecture_note_losses(n: int) -> Floats:
    """E after each SGD step of the lecture note's network, from the training engine."""
    from netviz.model.kernel import train
    from netviz.model.network import Problem

    return np.array(train(Problem.lecture_note(), n).losses)


@pytest.mark.parametrize("kind", ["noisy", "uniform", "narrow", "lecture"])
def test_memory_is_under_eight_bytes_per_value_with_the_pyramid(kind: str) -> None:
    n = 2_000_000
    rng = np.random.default_rng(11)
    data = {"noisy": noisy(n, 5), "uniform": rng.random(n), "narrow": 0.1 + 1e-3 * rng.random(n),
            "lecture": np.resize(lecture_note_losses(20_000), n)}[kind]
    h = LossHistory()
    for s in range(0, n, 3_333):  # as play delivers them: a frame's worth at a time
        h.extend(data[s : s + 3_333])
    assert len(h) == n
    np.testing.assert_array_equal(h.values, data)
    packed = sum(c.nbytes for c in h._chunks)
    pyramid = sum(16 * filled for _, _, filled in h._levels)
    assert pyramid / n <= 32 / BASE + 1e-3
    assert h.nbytes == packed + h._tail.nbytes + pyramid
    limit = {"noisy": 7.5, "uniform": 7.5, "narrow": 6.5, "lecture": 1.0}[kind]
    assert h.nbytes / n < limit, h.nbytes / n


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=0, max_size=3000),
       st.integers(1, 4000))
def test_packing_gives_back_every_bit(values: list[float], repeat: int) -> None:
    data = np.resize(np.asarray([*values, -0.0, 5e-324, 1.7976931348623157e308], dtype=np.float64), repeat)
    back = unpack(pack(data))
    assert back.dtype == np.float64
    np.testing.assert_array_equal(back.view(np.uint64), data.view(np.uint64))


def test_a_constant_chunk_packs_to_almost_nothing_and_noise_is_left_raw() -> None:
    assert pack(np.zeros(CHUNK)).nbytes < 1_000
    noise = np.random.default_rng(1).random(CHUNK)
    packed = pack(noise)
    assert not packed.compressed[0]  # the lowest mantissa byte is noise: stored as it is
    assert packed.compressed[7]  # sign and exponent: almost constant
    assert packed.nbytes < 8 * CHUNK


def test_reads_across_chunks_match_the_values() -> None:
    data = noisy(5 * CHUNK + 123, 8)
    h = LossHistory(data)
    for start, stop in [(0, 1), (CHUNK - 1, CHUNK + 1), (CHUNK, 2 * CHUNK), (7, 4 * CHUNK + 9),
                        (5 * CHUNK, 5 * CHUNK + 123), (3, 3), (-5, 10**9)]:
        got = h.read(start, stop)
        np.testing.assert_array_equal(got, data[max(start, 0) : stop])
        assert not got.flags.writeable
    assert h.last() == data[-1]


def test_an_image_shares_the_packed_chunks_and_restores_exactly() -> None:
    data = noisy(3 * CHUNK + 500, 9)
    h = LossHistory(data)
    image = h.image()
    assert len(image) == data.size
    assert all(a is b for a, b in zip(image.chunks, h._chunks, strict=True))  # shared, not copied
    h.truncate(CHUNK + 7)
    h.extend(noisy(10_000, 10))
    h.restore(image)
    np.testing.assert_array_equal(h.values, data)
    fresh = LossHistory(data)
    for args in [(0, data.size, 300), (CHUNK, 2 * CHUNK, 50)]:
        np.testing.assert_array_equal(h.envelope(*args)[1], fresh.envelope(*args)[1])
    assert h.min_positive() == fresh.min_positive()
    h.extend([0.5])  # the restored history goes on growing normally
    np.testing.assert_array_equal(h.values, np.append(data, 0.5))


@pytest.mark.parametrize("cut", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK])
def test_truncating_at_and_around_chunk_boundaries(cut: int) -> None:
    data = noisy(2 * CHUNK + 10, 12)
    more = noisy(CHUNK + 3, 13)
    h = LossHistory(data)
    np.testing.assert_array_equal(h.truncate(cut), data[cut:])
    h.extend(more)
    expected = np.concatenate([data[:cut], more])
    np.testing.assert_array_equal(h.values, expected)
    check_envelope(expected, 0, expected.size, 40, *h.envelope(0, expected.size, 40))


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


def test_what_read_returns_never_changes_afterwards() -> None:
    h = LossHistory([1.0, 2.0, 3.0])
    before = h.values
    h.extend(np.full(CHUNK, 9.0))  # the raw buffer is packed and reused
    assert before.tolist() == [1.0, 2.0, 3.0]
    packed_view = h.read(0, 3)
    h.restore(LossHistory([5.0, 6.0]).image())
    h.extend(np.full(CHUNK, 7.0))
    assert before.tolist() == [1.0, 2.0, 3.0]
    assert packed_view.tolist() == [1.0, 2.0, 3.0]
    expected = h.values.copy()
    for got in (before, packed_view, h.read(5, 9), h.read(CHUNK - 2, CHUNK + 2), h.read(CHUNK + 5, CHUNK + 9)):
        assert not got.flags.writeable
        try:
            got.flags.writeable = True  # allowed only for a copy: a view of a chunk refuses
        except ValueError:
            continue
        got[:] = -1.0
    np.testing.assert_array_equal(h.values, expected)
    with pytest.raises(ValueError):
        h.read(5, 9).flags.writeable = True  # inside a packed chunk: a view, locked for good


def test_an_image_cannot_be_changed_through_its_arrays() -> None:
    image = LossHistory(noisy(CHUNK + 300, 14)).image()
    assert not image.tail.flags.writeable
    assert all(not m.flags.writeable and not x.flags.writeable for m, x, _ in image.levels)


def test_clear_does_not_unpack_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    h = LossHistory(noisy(5 * CHUNK, 15))
    import netviz.model.history as history

    def refuse(chunk: object) -> None:
        raise AssertionError("clear() unpacked a chunk")

    monkeypatch.setattr(history, "unpack", refuse)
    h.clear()
    assert len(h) == 0 and h.min_positive() is None
    h.extend([0.5, 0.25])
    assert h.values.tolist() == [0.5, 0.25]
