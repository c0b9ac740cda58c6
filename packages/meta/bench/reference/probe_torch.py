"""PyTorch replica of xling's linear-probe training loop (LinearProbe.fit's inner step), for a
side-by-side speed benchmark with the TypeScript side, which spawns this script on the same input.

Usage (Debian's /usr/bin/python3 with python3-torch, python3-numpy, python3-threadpoolctl):

  probe_torch.py INPUT [--threads N] [--warmup 3] [--steps S] [--dtype float32|float64] [--check]
  probe_torch.py --make-input OUT.safetensors [--n 3000 --d 768 --k 32 --labels 17 --batch 512
                 --steps 200 --lr 1e-4 --weight-decay 1e-6 --seed 0]      (random test input)

Input: a safetensors file (8-byte little-endian header length, JSON header, raw little-endian
data; what @xling/core's writeSafetensors writes), or a .npz holding arrays of the same names.

  tensor         dtype        shape            content
  x              F32 (F64)    [n, d]           instance vectors, one row per instance
  labels         I32          [n]              label id per row (any ids >= 0; -1 = no target:
                                               left out of the class means and of the loss)
  w0             F32 (F64)    [d, k]           initial W
  batches        I32          [B, b]           row indices of x, one batch of b rows per step
     or
  batch_rows     I32          [R]              row indices of all batches, concatenated, and
  batch_offsets  I32          [B + 1]          batch j = batch_rows[batch_offsets[j]:batch_offsets[j+1]]
                                               (variable-size batches, e.g. whole sentences)

  Hyper-parameters: in the safetensors `__metadata__` (string values, as the format requires):
  "lr", "weight_decay", "steps", optional "threads"; in a .npz as 0-d arrays of those names.
  Step s (0-based) uses batch s mod B. --steps overrides "steps"; --threads overrides "threads"
  (default 1; for .npz input only --threads is read).

Algorithm per step (exactly xling's LinearProbe step, with a constant learning rate):
  M = class means of ALL rows of x per label present (m x d, labels ascending, computed once in
  float64 from the float32 rows, then cast to the run dtype; fixed);  t_i = rank of label i among
  the present labels;  X_b = x[batch];  Z = X_b W;  P = M W;  logits_ic = -||z_i - p_c||^2
  (summed squared differences);  loss = mean over the batch rows with a target of
  cross-entropy(logits_i, t_i);  gradient by autograd through Z and P;
  torch.optim.Adam([W], lr, betas=(0.9, 0.999), eps=1e-8, weight_decay) (L2 added to the gradient,
  as xling's AdamState). The reported loss of a step is computed before its update.

Threads: scripts/bench/pinned_threads.py's pin(threads) sets OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS, MKL_NUM_THREADS (and siblings) BEFORE numpy or torch is imported (the
libraries read them when they load), then torch.set_num_threads(threads); threadpoolctl's view of
the loaded BLAS / OpenMP pools is printed after the timings so the threads really used are visible.

Run directly, set MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432 as the
benchmarks do (scripts/bench/pinned-python.ts): with glibc's defaults the heap is trimmed after
every step and the next one page-faults its tensors in again (~5x slower at d = 768).

Timing: `--warmup` steps (default 3) run first on a copy of w0 with a throwaway optimizer; then W
is reset to w0 and a fresh Adam times `steps` steps (wall clock, time.perf_counter, batch
gathering included). The output is one JSON line:
  {"steps", "seconds_total", "ms_per_step", "final_loss" (loss of the last step),
   "threads", "w_sum", "w_sumsq" (checksum of W after the measured steps, float64 sums), "dtype",
   "n", "d", "k", "m", "warmup", "torch"}
then scripts/bench/pinned_threads.py's report line (the thread pools really used; the script exits
non-zero instead when one has more threads than --threads).

--check: no warm-up; prints {"check_step": s, "loss": ...} for the first 5 steps (17 significant
digits), then {"check_steps": 5, "w_sum", "w_sumsq"}; compare with the TypeScript side (its 'js'
engine is float64: use --dtype float64 for equality to ~1e-12; float32 agrees to ~1e-6).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../scripts/bench"))
import pinned_threads  # noqa: E402
from safetensors_read import read_safetensors  # noqa: E402


def parse_args(argv):
    ap = argparse.ArgumentParser(description="PyTorch replica of xling's linear-probe step (benchmark).")
    ap.add_argument("input", nargs="?", help="input .safetensors or .npz (see the module docstring)")
    ap.add_argument("--threads", type=int, help="intra-op / BLAS threads (default: the input's, else 1)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, help="measured steps (default: the input's)")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--check", action="store_true", help="print the losses of the first 5 steps")
    g = ap.add_argument_group("--make-input (random test data)")
    g.add_argument("--make-input", metavar="OUT")
    g.add_argument("--n", type=int, default=3000)
    g.add_argument("--d", type=int, default=768)
    g.add_argument("--k", type=int, default=32)
    g.add_argument("--labels", type=int, default=17)
    g.add_argument("--batch", type=int, default=512)
    g.add_argument("--lr", type=float, default=1e-4)
    g.add_argument("--weight-decay", type=float, default=1e-6)
    g.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.make_input is None and args.input is None:
        ap.error("an INPUT file (or --make-input OUT) is required")
    return args


def safetensors_metadata(path):
    """The `__metadata__` of a safetensors file, read with the standard library only."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        return json.loads(f.read(n).decode("utf-8")).get("__metadata__") or {}


ARGS = parse_args(sys.argv[1:])
THREADS = ARGS.threads
if THREADS is None:
    meta = {}
    if ARGS.input and not ARGS.input.endswith(".npz"):
        meta = safetensors_metadata(ARGS.input)
    THREADS = int(meta.get("threads", 1))
pinned_threads.pin(THREADS)  # before numpy / torch load their BLAS and OpenMP runtimes

import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CODES = {np.dtype("<f8"): "F64", np.dtype("<f4"): "F32", np.dtype("<i8"): "I64", np.dtype("<i4"): "I32"}


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": {k: str(v) for k, v in metadata.items()}}, 0, []
    for name, a in tensors.items():
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
        b = a.tobytes()
        header[name] = {"dtype": CODES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_input(path):
    if path.endswith(".npz"):
        z = np.load(path)
        tensors = {k: z[k] for k in z.files}
        meta = {k: tensors.pop(k).item() for k in ("lr", "weight_decay", "steps", "threads") if k in tensors}
    else:
        tensors, meta = read_safetensors(path)
    x, labels, w0 = tensors["x"], tensors["labels"].astype(np.int64), tensors["w0"]
    if "batches" in tensors:
        batches = [np.asarray(b, dtype=np.int64) for b in tensors["batches"]]
    else:
        rows, off = tensors["batch_rows"].astype(np.int64), tensors["batch_offsets"].astype(np.int64)
        batches = [rows[off[j] : off[j + 1]] for j in range(len(off) - 1)]
    n, d = x.shape
    if labels.shape != (n,) or w0.shape[0] != d or not batches:
        raise SystemExit(f"probe_torch: inconsistent input: x {x.shape}, labels {labels.shape}, w0 {w0.shape}, {len(batches)} batches")
    if any(b.size and (b.min() < 0 or b.max() >= n) for b in batches):
        raise SystemExit("probe_torch: a batch row index is outside [0, n)")
    return x, labels, w0, batches, float(meta["lr"]), float(meta["weight_decay"]), int(meta["steps"])


def make_input(args):
    rng = np.random.default_rng(args.seed)
    n, d, k, c = args.n, args.d, args.k, args.labels
    centres = rng.standard_normal((c, d)).astype(np.float32)
    labels = rng.integers(0, c, n).astype(np.int32)
    x = (centres[labels] * 0.5 + rng.standard_normal((n, d))).astype(np.float32)
    steps_b = max(1, -(-args.steps * args.batch // n))  # enough permutations to cover all steps
    order = np.concatenate([rng.permutation(n) for _ in range(steps_b)])
    batches = order[: args.steps * args.batch].reshape(args.steps, args.batch).astype(np.int32)
    w0 = (rng.standard_normal((d, k)) * np.sqrt(2.0 / (d + k))).astype(np.float32)  # Xavier normal, as xling
    meta = {"lr": repr(args.lr), "weight_decay": repr(args.weight_decay), "steps": args.steps, "threads": THREADS}
    write_safetensors(args.make_input, {"x": x, "labels": labels, "w0": w0, "batches": batches}, meta)
    print(json.dumps({"wrote": args.make_input, "n": n, "d": d, "k": k, "labels": c, "batch": args.batch, "steps": args.steps}))


def main():
    if ARGS.make_input:
        make_input(ARGS)
        return
    torch.set_num_threads(THREADS)
    dtype = torch.float64 if ARGS.dtype == "float64" else torch.float32
    x_np, labels_np, w0_np, batches_np, lr, wd, steps = load_input(ARGS.input)
    if ARGS.steps is not None:
        steps = ARGS.steps
    present = np.unique(labels_np[labels_np >= 0])
    means_np = np.stack([x_np[labels_np == c].astype(np.float64).mean(0) for c in present])
    row_of = np.full(int(labels_np.max()) + 1, -100, dtype=np.int64)  # -100: torch's ignore_index
    row_of[present] = np.arange(len(present))
    target_np = np.where(labels_np >= 0, row_of[np.maximum(labels_np, 0)], -100)

    x = torch.from_numpy(np.array(x_np, dtype=np.float64 if dtype == torch.float64 else np.float32))
    means = torch.from_numpy(means_np).to(dtype)
    target = torch.from_numpy(target_np)
    batches = [torch.from_numpy(np.array(b, dtype=np.int64)) for b in batches_np]
    w0 = torch.from_numpy(np.array(w0_np, dtype=np.float64 if dtype == torch.float64 else np.float32))

    def step(w, opt, s):
        idx = batches[s % len(batches)]
        xb = x.index_select(0, idx)
        z = xb @ w
        p = means @ w
        logits = -((z.unsqueeze(1) - p.unsqueeze(0)) ** 2).sum(-1)
        loss = F.cross_entropy(logits, target.index_select(0, idx), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    def fresh():
        w = w0.clone().requires_grad_(True)
        return w, torch.optim.Adam([w], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)

    def checksum(w):
        a = w.detach().to(torch.float64)
        return float(a.sum()), float((a * a).sum())

    if ARGS.check:
        w, opt = fresh()
        for s in range(min(5, steps)):
            print(json.dumps({"check_step": s + 1, "loss": float(f"{step(w, opt, s).item():.17g}")}))
        total, sq = checksum(w)
        print(json.dumps({"check_steps": min(5, steps), "w_sum": total, "w_sumsq": sq, "dtype": ARGS.dtype}))
        return

    w, opt = fresh()
    for s in range(ARGS.warmup):
        step(w, opt, s)
    w, opt = fresh()
    loss = None
    t0 = time.perf_counter()
    for s in range(steps):
        loss = step(w, opt, s)
    seconds = time.perf_counter() - t0
    total, sq = checksum(w)
    print(json.dumps({
        "steps": steps,
        "seconds_total": seconds,
        "ms_per_step": 1000 * seconds / max(steps, 1),
        "final_loss": float(loss) if loss is not None else None,
        "threads": THREADS,
        "w_sum": total,
        "w_sumsq": sq,
        "dtype": ARGS.dtype,
        "n": int(x_np.shape[0]),
        "d": int(x_np.shape[1]),
        "k": int(w0_np.shape[1]),
        "m": int(len(present)),
        "warmup": ARGS.warmup,
        "torch": torch.__version__,
    }))
    pinned_threads.print_report()


if __name__ == "__main__":
    main()
