"""Target 1: the training engine against PyTorch eager, hand-unrolled Python and NumPy.

Run as a script it prints one JSON object. ``run.py`` starts it with the Python of
``benchmarks/.venv-torch`` when that exists (so PyTorch is measured in the same process, the
repeats interleaved with netviz's), otherwise with its own Python and PyTorch reported missing.

Every contender does the same work per step on one example: forward pass, E = ½(ŷ − t)²,
backward pass, SGD update of every parameter, and E recorded (netviz records E after each step).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netviz.model import Architecture, Problem, iterate, train

# ---- hand-unrolled plain Python: the fastest pure Python can go for 2-2-1 ------------------


def hand_train_221(params: list[float], x: tuple[float, ...], t: float, lr: float, steps: int,
                   out: array) -> list[float]:
    """Forward, backward and SGD for the 2-2-1 sigmoid network, written out by hand.

    The forward pass that gives E after a step is also the next step's forward pass, so there is
    one forward pass per step (as in netviz's kernel). No overflow guard: σ(z) = 1/(1 + e^−z).
    """
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = params
    x1, x2 = x
    exp = math.exp
    append = out.append
    h1 = 1.0 / (1.0 + exp(-(w1 * x1 + w2 * x2 + b1)))
    h2 = 1.0 / (1.0 + exp(-(w3 * x1 + w4 * x2 + b2)))
    y = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b3)))
    for _ in range(steps):
        do = (y - t) * y * (1.0 - y)
        d1 = do * w5 * h1 * (1.0 - h1)
        d2 = do * w6 * h2 * (1.0 - h2)
        w1 -= lr * d1 * x1
        w2 -= lr * d1 * x2
        w3 -= lr * d2 * x1
        w4 -= lr * d2 * x2
        w5 -= lr * do * h1
        w6 -= lr * do * h2
        b1 -= lr * d1
        b2 -= lr * d2
        b3 -= lr * do
        h1 = 1.0 / (1.0 + exp(-(w1 * x1 + w2 * x2 + b1)))
        h2 = 1.0 / (1.0 + exp(-(w3 * x1 + w4 * x2 + b2)))
        y = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b3)))
        append(0.5 * (y - t) * (y - t))
    return [w1, w2, w3, w4, w5, w6, b1, b2, b3]


# ---- NumPy, any layer sizes ------------------------------------------------------------------


def numpy_setup(problem: Problem) -> tuple[list, list, object, object]:  # type: ignore[type-arg]
    """Weight matrices and bias vectors (float64) from a netviz problem's parameters."""
    import numpy as np

    arch = problem.architecture
    sizes = arch.layer_sizes
    ws, bs = [], []
    for layer in range(1, len(sizes)):
        w = np.empty((sizes[layer], sizes[layer - 1]))
        b = np.empty(sizes[layer])
        for j in range(sizes[layer]):
            for i in range(sizes[layer - 1]):
                w[j, i] = problem.params[arch.weight(layer, j, i).index]
            b[j] = problem.params[arch.bias(layer, j).index]
        ws.append(w)
        bs.append(b)
    return ws, bs, np.asarray(problem.inputs, dtype=float), np.asarray(problem.targets, dtype=float)


def numpy_train(ws: list, bs: list, x: object, t: object, lr: float, steps: int, out: array) -> None:  # type: ignore[type-arg]
    """Vectorised per layer: a = σ(W a + b); δ = (Wᵀ δ) ⊙ a(1 − a); W −= η δ aᵀ."""
    import numpy as np

    exp, outer, dot = np.exp, np.outer, np.dot
    n = len(ws)
    append = out.append
    acts = [x]
    for k in range(n):
        acts.append(1.0 / (1.0 + exp(-(dot(ws[k], acts[k]) + bs[k]))))
    for _ in range(steps):
        y = acts[n]
        delta = (y - t) * y * (1.0 - y)
        deltas = [delta] * n
        for k in range(n - 1, 0, -1):
            a = acts[k]
            delta = dot(ws[k].T, delta) * a * (1.0 - a)
            deltas[k - 1] = delta
        for k in range(n):
            ws[k] -= lr * outer(deltas[k], acts[k])
            bs[k] -= lr * deltas[k]
        for k in range(n):
            acts[k + 1] = 1.0 / (1.0 + exp(-(dot(ws[k], acts[k]) + bs[k])))
        d = acts[n] - t
        append(0.5 * float(dot(d, d)))


# ---- PyTorch eager ---------------------------------------------------------------------------


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def torch_setup(problem: Problem, idiomatic: bool):  # type: ignore[no-untyped-def]
    """A torch model of the same network in float64; returns a step function."""
    import torch

    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    ws, bs, x, t = numpy_setup(problem)
    xt = torch.tensor(x, dtype=torch.float64)
    tt = torch.tensor(t, dtype=torch.float64)
    lr = problem.learning_rate
    if idiomatic:
        layers = []
        for w, b in zip(ws, bs, strict=True):
            lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            layers += [lin, torch.nn.Sigmoid()]
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=lr)

        def step_idiomatic(out: array) -> None:
            opt.zero_grad()
            y = model(xt)
            e = 0.5 * ((y - tt) ** 2).sum()
            e.backward()
            opt.step()
            with torch.no_grad():
                out.append(float(0.5 * ((model(xt) - tt) ** 2).sum()))

        return step_idiomatic, lambda: [p.detach().numpy().copy() for p in model.parameters()]

    params = []
    for w, b in zip(ws, bs, strict=True):
        params += [torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)]

    def forward() -> torch.Tensor:
        a = xt
        for k in range(0, len(params), 2):
            a = torch.sigmoid(params[k] @ a + params[k + 1])
        return a

    def step_minimal(out: array) -> None:
        e = 0.5 * ((forward() - tt) ** 2).sum()
        e.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
            out.append(float(0.5 * ((forward() - tt) ** 2).sum()))

    return step_minimal, lambda: [p.detach().numpy().copy() for p in params]


# ---- measuring -------------------------------------------------------------------------------


def _time(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def random_problem(sizes: tuple[int, ...], seed: int = 7) -> Problem:
    rng = random.Random(seed)
    arch = Architecture(sizes)
    return Problem(arch, tuple(rng.uniform(-1, 1) for _ in arch.params),
                   tuple(rng.uniform(-1, 1) for _ in range(sizes[0])),
                   tuple(rng.uniform(0.1, 0.9) for _ in range(sizes[-1])), 0.5)


def measure(quick: bool) -> dict:  # type: ignore[type-arg]
    repeats = 3 if quick else 7
    n_fast = 20_000 if quick else 200_000
    n_torch = 300 if quick else 3_000
    has_torch = torch_available()
    lecture = Problem.lecture_note()
    x, t, lr = lecture.inputs, lecture.targets[0], lecture.learning_rate

    # Correctness first: every contender ends where the traced engine ends after a few steps.
    p = lecture
    for _ in range(10):
        p = iterate(p).updated
    agree = {"netviz_kernel": max(abs(a - b) for a, b in zip(train(lecture, 10).problem.params, p.params, strict=True)),
             "hand_unrolled": max(abs(a - b) for a, b in zip(hand_train_221(list(lecture.params), x, t, lr, 10,
                                                                               array("d")), p.params, strict=True))}

    times: dict[str, list[float]] = {"netviz_kernel": [], "hand_unrolled": []}
    if has_torch:
        torch_steps = {"torch_eager_minimal": torch_setup(lecture, idiomatic=False),
                       "torch_eager_nn_optim": torch_setup(lecture, idiomatic=True)}
        for name in torch_steps:
            times[name] = []
        for name, diff in torch_agreement(lecture).items():
            agree[name] = diff
    train(lecture, 1000)  # compile and warm up
    for _ in range(repeats):  # interleaved, so drift in the machine hits every contender alike
        times["netviz_kernel"].append(_time(train, lecture, n_fast) / n_fast)
        hand = _time(hand_train_221, list(lecture.params), x, t, lr, n_fast, array("d"))
        times["hand_unrolled"].append(hand / n_fast)
        if has_torch:
            for name, (step, _) in torch_steps.items():
                out = array("d")
                t0 = time.perf_counter()
                for _ in range(n_torch):
                    step(out)
                times[name].append((time.perf_counter() - t0) / n_torch)

    # 2-8-8-1: netviz's compiled kernel against a NumPy implementation (and torch when present).
    big = random_problem((2, 8, 8, 1))
    n_big = 5_000 if quick else 50_000
    n_big_np = 2_000 if quick else 20_000
    ref = big
    for _ in range(10):
        ref = iterate(ref).updated
    ws, bs, bx, bt = numpy_setup(big)
    numpy_train(ws, bs, bx, bt, big.learning_rate, 10, array("d"))
    ws_ref, bs_ref, _, _ = numpy_setup(ref)
    agree["numpy_2881"] = max(float(abs(a - b).max()) for a, b in zip(ws + bs, ws_ref + bs_ref, strict=True))
    agree["netviz_kernel_2881"] = max(abs(a - b) for a, b in zip(train(big, 10).problem.params, ref.params,
                                                                    strict=True))
    big_times: dict[str, list[float]] = {"netviz_kernel": [], "numpy": []}
    if has_torch:
        big_torch = torch_setup(big, idiomatic=False)[0]
        big_times["torch_eager_minimal"] = []
    train(big, 100)
    for _ in range(repeats):
        big_times["netviz_kernel"].append(_time(train, big, n_big) / n_big)
        ws, bs, bx, bt = numpy_setup(big)
        np_time = _time(numpy_train, ws, bs, bx, bt, big.learning_rate, n_big_np, array("d"))
        big_times["numpy"].append(np_time / n_big_np)
        if has_torch:
            out = array("d")
            t0 = time.perf_counter()
            for _ in range(n_torch):
                big_torch(out)
            big_times["torch_eager_minimal"].append((time.perf_counter() - t0) / n_torch)

    def summary(samples: dict[str, list[float]]) -> dict:  # type: ignore[type-arg]
        return {k: {"median_s_per_step": statistics.median(v), "min_s_per_step": min(v),
                    "steps_per_s": 1.0 / statistics.median(v), "runs": len(v)} for k, v in samples.items()}

    result = {"python": sys.version.split()[0], "torch": None, "repeats": repeats,
              "steps_per_run": {"netviz_kernel": n_fast, "hand_unrolled": n_fast, "torch": n_torch,
                                "netviz_kernel_2881": n_big, "numpy_2881": n_big_np},
              "lecture_221": summary(times), "net_2881": summary(big_times),
              "max_param_difference_vs_traced_engine_after_10_steps": agree}
    if has_torch:
        import torch

        result["torch"] = torch.__version__
        result["torch_threads"] = torch.get_num_threads()
    else:
        result["torch_missing"] = ("PyTorch is not installed for this Python: create benchmarks/.venv-torch "
                                   "(python3 -m venv benchmarks/.venv-torch && benchmarks/.venv-torch/bin/pip "
                                   "install torch==2.13.0 numpy) to measure the comparison")
    return result


def torch_agreement(problem: Problem) -> dict[str, float]:  # type: ignore[type-arg]
    """Each torch variant's parameters after 10 steps, against the traced engine (max |Δ|)."""
    p = problem
    for _ in range(10):
        p = iterate(p).updated
    ws_ref, bs_ref, _, _ = numpy_setup(p)
    ref = []
    for w, b in zip(ws_ref, bs_ref, strict=True):
        ref += [w, b]
    out = {}
    for name, idiomatic in (("torch_eager_minimal", False), ("torch_eager_nn_optim", True)):
        step, params_of = torch_setup(problem, idiomatic)
        for _ in range(10):
            step(array("d"))
        diff = max(float(abs(a - b).max()) for a, b in zip(params_of(), ref, strict=True))
        out[name] = diff
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    json.dump(measure(args.quick), sys.stdout)


if __name__ == "__main__":
    main()
