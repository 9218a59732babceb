#!/usr/bin/python3
"""torch_compare.py - libntk's training step against PyTorch's, side by side in one run,
to hold libntk's speed against a mainstream framework's on the same machine. Not part
of the build: PyTorch is not a dependency; without it this says so and exits 0.

The same network as libntk (net.h): NTK parameterisation
    z(l+1) = W(l) a(l) / sqrt(n_l) + beta b(l),  a(l) = relu(z(l)),  f = z(L),
all parameters N(0, 1), beta 0.1, full-batch gradient descent on
C = 1/(2N) sum_i (f(x_i) - y_i)^2 by autograd, learning rate 1e-6 (tiny, so the
timings stay where they start, as in the benchmark). The shapes are bench.c's:
    fig3: n0 = 784, depth 5, batch 512, inputs uniform in [0, 1]; widths 1000, 4000
    fig1: n0 = 2, depth 4, batch 100, inputs N(0, 1); width 10000
    fig2: n0 = 2, depth 4, batch 4, inputs N(0, 1); width 1000
For each round and shape, PyTorch (in this process) and libntk (`bin/bench time SHAPE
PRECISION WIDTH STEPS`, a separate process) each time STEPS steps after a warm-up
step and report the median; the two alternate, and which goes first alternates from
round to round. The table gives the median over rounds of each side and the ratio
PyTorch seconds / libntk seconds (above 1: libntk is faster), and goes to
data/bench/torch.dat (--out).

PyTorch runs at its fastest setting measured on this machine (REPRODUCE.md,
Performance): OMP_WAIT_POLICY=PASSIVE (set here before torch loads; --omp-wait
ACTIVE or unset to compare), intra-op threads = --threads (default 2,
the cores), float32 for single precision (PyTorch's default), float64 for double,
and glibc's malloc told to keep what is freed (--malloc keep, the default: mallopt
M_TRIM_THRESHOLD and M_MMAP_THRESHOLD at 1 GiB, set here before torch loads). Left
to its defaults (--malloc default), glibc hands autograd's large buffers back to the
kernel after every step and the next step faults them in again: PyTorch's Figure 3
width-4000 step took 1.7-1.8 s that way against 0.89-0.96 s kept, and its Figure 2
step 42-55 ms when no larger shape had run before it in the process (the dynamic
thresholds rise only once a large block has been freed). libntk allocates its
buffers once and is not affected. libntk runs with OPENBLAS_NUM_THREADS = --threads.

    /usr/bin/python3 src/tools/torch_compare.py                   # single vs float32
    /usr/bin/python3 src/tools/torch_compare.py --precision both  # and double vs float64

Run it under the shared lock (flock /tmp/ntk-heavy.lock ...): about 10 minutes at
the defaults. (Debian's python3-torch: apt-get install -y python3-torch; the Debian
python, not a pyenv one, sees it.)
"""
import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import time

SHAPES = {  # name: (n0, depth, batch, uniform inputs)
    "fig3": (784, 5, 512, True),
    "fig1": (2, 4, 100, False),
    "fig2": (2, 4, 4, False),
}
# libntk single against PyTorch float32: the smallest speed-up asked for (REPRODUCE.md)
TARGETS = {"fig3": 1.0, "fig1": 2.0, "fig2": 2.0}
DTYPES = {"single": "float32", "double": "float64"}


def build(torch, shape, width, dtype, gen):
    n0, L, N, uniform = SHAPES[shape]
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


def step(torch, widths, params, X, Y, beta, lr):
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


def torch_seconds(torch, shape, width, precision, steps):
    """Median seconds of `steps` PyTorch steps after a warm-up step."""
    gen = torch.Generator().manual_seed(11)
    widths, params, X, Y = build(torch, shape, width, getattr(torch, DTYPES[precision]), gen)
    step(torch, widths, params, X, Y, 0.1, 1e-6)  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step(torch, widths, params, X, Y, 0.1, 1e-6)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def libntk_seconds(bench, shape, width, precision, steps, threads):
    """Median seconds of `steps` libntk steps after a warm-up step (bench time)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([bench, "time", shape, precision, str(width), str(steps)], env=env,
                         check=True, capture_output=True, text=True).stdout.split()
    if len(out) != 6 or out[0] != "time":
        sys.exit(f"torch_compare: unexpected output from {bench} time: {' '.join(out)}")
    return float(out[4])


def revision():
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="fig3:1000,fig3:4000,fig1:10000,fig2:1000",
                    help="SHAPE:WIDTH,... (shapes fig3, fig1, fig2)")
    ap.add_argument("--precision", choices=["single", "double", "both"], default="single")
    ap.add_argument("--rounds", type=int, default=3, help="alternations of the two sides")
    ap.add_argument("--steps", type=int, default=5, help="timed steps per side and round (1..16)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--omp-wait", default="PASSIVE",
                    help="OMP_WAIT_POLICY for PyTorch: PASSIVE (default), ACTIVE, or 'unset' for the runtime's own")
    ap.add_argument("--malloc", choices=["keep", "default"], default="keep",
                    help="glibc malloc for PyTorch: keep freed memory (default) or glibc's own trimming")
    ap.add_argument("--bench", default="bin/bench")
    ap.add_argument("--out", default="data/bench/torch.dat", help="data file ('-': none)")
    args = ap.parse_args()
    cases = []
    for c in args.cases.split(","):
        shape, _, width = c.partition(":")
        if shape not in SHAPES or not width.isdigit() or int(width) < 1:
            ap.error(f"bad case '{c}': expected SHAPE:WIDTH with SHAPE one of {', '.join(SHAPES)}")
        cases.append((shape, int(width)))
    if args.rounds < 1 or not 1 <= args.steps <= 16 or args.threads < 1:
        ap.error("--rounds >= 1, --steps 1..16 and --threads >= 1 are needed")
    precisions = ["single", "double"] if args.precision == "both" else [args.precision]

    # before torch loads its OpenMP runtime, which reads the variable once
    if args.omp_wait == "unset":
        os.environ.pop("OMP_WAIT_POLICY", None)
    else:
        os.environ["OMP_WAIT_POLICY"] = args.omp_wait
    if args.malloc == "keep":  # M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3 (malloc.h)
        libc = ctypes.CDLL("libc.so.6")
        if not (libc.mallopt(-1, 1 << 30) and libc.mallopt(-3, 1 << 30)):
            sys.exit("torch_compare: mallopt refused the thresholds (--malloc default to run without)")
    try:
        import torch
    except ImportError:
        print("torch_compare: PyTorch is not installed (apt-get install -y python3-torch; "
              "Debian's /usr/bin/python3): nothing compared")
        return 0
    if not os.access(args.bench, os.X_OK):
        sys.exit(f"torch_compare: {args.bench} not found: build it first (make bin/bench)")
    torch.set_num_threads(args.threads)
    setting = (f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
               f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}, malloc {args.malloc}; "
               f"libntk {revision()}, "
               f"OPENBLAS_NUM_THREADS={args.threads}; {args.rounds} rounds of {args.steps} steps")
    print(f"torch_compare: {setting}", flush=True)

    times = {}  # (shape, width, precision) -> ([torch], [libntk])
    for r in range(args.rounds):
        for shape, width in cases:
            for p in precisions:
                tt, tl = times.setdefault((shape, width, p), ([], []))
                sides = [("torch", lambda: tt.append(torch_seconds(torch, shape, width, p, args.steps))),
                         ("libntk", lambda: tl.append(libntk_seconds(args.bench, shape, width, p, args.steps,
                                                                     args.threads)))]
                for _, run in (sides if r % 2 == 0 else sides[::-1]):
                    run()
                print(f"  round {r + 1}: {shape} width {width} {p}: PyTorch {DTYPES[p]} {tt[-1]:.4f} s, "
                      f"libntk {tl[-1]:.4f} s per step", flush=True)

    rows = []
    print(f"{'case':<16} {'precision':<9} {'PyTorch s':>10} {'libntk s':>10} {'ratio':>6} {'target':>6}")
    for (shape, width, p), (tt, tl) in times.items():
        t_torch, t_lib = statistics.median(tt), statistics.median(tl)
        target = TARGETS[shape] if p == "single" else 0.0
        verdict = "" if not target else ("ok" if t_torch / t_lib >= target else "MISS")
        rows.append((f"{shape}-w{width}", p, t_torch, t_lib, t_torch / t_lib, target))
        print(f"{shape + '-w' + str(width):<16} {p:<9} {t_torch:10.4f} {t_lib:10.4f} {t_torch / t_lib:6.2f} "
              f"{target if target else '-':>6} {verdict}")
    if args.out != "-":
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out + ".tmp", "w") as f:
            f.write("# program: src/tools/torch_compare.py\n")
            f.write(f"# {setting}\n")
            f.write("# seconds per full-batch gradient step, median over rounds of the median of the\n"
                    "# steps of each round; ratio = torch_seconds / libntk_seconds (above 1: libntk faster);\n"
                    "# target: the smallest ratio asked for (0: none)\n")
            f.write("# columns: case precision torch_seconds libntk_seconds ratio target\n")
            for case, p, a, b, ratio, target in rows:
                f.write(f"{case} {p} {a:.17g} {b:.17g} {ratio:.17g} {target:.17g}\n")
        os.replace(args.out + ".tmp", args.out)
        print(f"torch_compare: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
