#!/usr/bin/python3
"""torch_compare.py - the training step of `make bench`, written in PyTorch, to hold
libntk's speed against a mainstream framework's on the same machine. Not part of the
build: PyTorch is not a dependency.

The same network as libntk (net.h): NTK parameterisation
    z(l+1) = W(l) a(l) / sqrt(n_l) + beta b(l),  a(l) = relu(z(l)),  f = z(L),
all parameters N(0, 1), beta 0.1, full-batch gradient descent on
C = 1/(2N) sum_i (f(x_i) - y_i)^2, learning rate lr (tiny, so the timings stay where
they start, as in the benchmark). Shapes (as in src/cmd/bench.c):
    fig3: n0 = 784, depth 5, width 1000 (--width), batch 512, inputs uniform in [0, 1]
    fig1: n0 = 2, depth 4, width 10000 (--width), batch 100, inputs N(0, 1)
One warm-up step, then the median of --steps timed steps, in float64 and float32.
Prints seconds per step and GFLOP/s (6 x batch x parameters flops per step).

    /usr/bin/python3 src/tools/torch_compare.py --shape fig3 --steps 10 --threads 2
    OPENBLAS_NUM_THREADS=2 bin/bench only=train-fig3-w1000     # libntk, same shape

(Debian's python3-torch: apt-get install -y python3-torch; the Debian python, not a
pyenv one, sees it.)
"""
import argparse
import statistics
import time

import torch


def build(shape, width, dtype, gen):
    if shape == "fig3":
        n0, L, N, uniform = 784, 5, 512, True
    else:
        n0, L, N, uniform = 2, 4, 100, False
    widths = [n0] + [width] * (L - 1) + [1]
    params = []
    for l in range(L):
        W = torch.randn(widths[l + 1], widths[l], dtype=dtype, generator=gen).requires_grad_()
        b = torch.randn(widths[l + 1], dtype=dtype, generator=gen).requires_grad_()
        params.append((W, b))
    if uniform:
        X = torch.rand(N, n0, dtype=dtype, generator=gen)
    else:
        X = torch.randn(N, n0, dtype=dtype, generator=gen)
    Y = torch.randn(N, 1, dtype=dtype, generator=gen)
    return widths, params, X, Y


def step(widths, params, X, Y, beta, lr):
    a = X
    L = len(params)
    for l, (W, b) in enumerate(params):
        # (N x n_l)(n_l x n_{l+1}) / sqrt(n_l) + beta b: the same GEMM as libntk's
        z = torch.addmm(b, a, W.t(), beta=beta, alpha=1.0 / widths[l] ** 0.5)
        a = torch.relu(z) if l + 1 < L else z
    loss = 0.5 * ((a - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for W, b in params:
            W.sub_(W.grad, alpha=lr)
            b.sub_(b.grad, alpha=lr)
            W.grad = None
            b.grad = None
    return loss.item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", choices=["fig3", "fig1"], default="fig3")
    ap.add_argument("--width", type=int, default=None)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dtypes", default="float64,float32")
    args = ap.parse_args()
    width = args.width or (1000 if args.shape == "fig3" else 10000)
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), shape {args.shape}, "
          f"width {width}, {args.steps} steps")
    for name in args.dtypes.split(","):
        dtype = getattr(torch, name)
        gen = torch.Generator().manual_seed(11)
        widths, params, X, Y = build(args.shape, width, dtype, gen)
        P = sum(W.numel() + b.numel() for W, b in params)
        flops = 6.0 * X.shape[0] * P
        step(widths, params, X, Y, 0.1, 1e-6)  # warm-up
        times = []
        for _ in range(args.steps):
            t0 = time.perf_counter()
            step(widths, params, X, Y, 0.1, 1e-6)
            times.append(time.perf_counter() - t0)
        t = statistics.median(times)
        print(f"  {name}: {t:.4f} s per step (median of {args.steps}), "
              f"{flops / t / 1e9:.1f} GFLOP/s, {P} parameters")
        del params


if __name__ == "__main__":
    main()
