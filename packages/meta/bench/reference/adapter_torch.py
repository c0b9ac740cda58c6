"""PyTorch replica of xling's few-shot adapter fit (LanguageAdapterProtoNet.adapt), for the
side-by-side benchmark bench/adapter-fit.ts, which writes the input and spawns this script.

  adapter_torch.py INPUT [--dtype float32|float64] [--repeats R] [--threads 1]

Input: a safetensors file (what @xling/core's writeSafetensors writes):
  x [n, d], w1 [d, h], b1 [h], w2 [h, k], b2 [k]   support rows and the frozen phi (F64)
  prototypes [m, k]                                the source prototypes (F64)
  target [n] I32                                   prototype row per support row, -1 = ignored
  batch_rows, batch_offsets I32                    the rows of each Adam step, in order; the steps
                                                   of one epoch are len(offsets - 1) / epochs
  __metadata__: lr, weight_decay, epochs, strength (the prior's lambda / tokens)

Algorithm (xling's adapt): z = phi(x) = LeakyReLU_0.2(x w1 + b1) w2 + b2, once; A = I (k x k),
c = 0; each step: g = z_b A^T + c, logits = -||g_i - p_c||^2, loss = mean cross-entropy over rows
with a target + strength (||A - I||^2 + ||c||^2), autograd, torch.optim.Adam(lr, betas
(0.9, 0.999), eps 1e-8, weight_decay); after each epoch the whole-support loss (same objective,
no gradient) and the parameters of the lowest one are kept (epoch 1 always replaces the identity).
The run is repeated R times (after one warm-up) and the mean wall time per fit is printed as one
JSON line, then scripts/bench/pinned_threads.py's report line.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../scripts/bench"))
import pinned_threads  # noqa: E402
from safetensors_read import read_safetensors  # noqa: E402

ap = argparse.ArgumentParser(description="PyTorch replica of xling's few-shot adapter fit (benchmark).")
ap.add_argument("input")
ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
ap.add_argument("--repeats", type=int, default=20)
ap.add_argument("--threads", type=int, default=1)
ARGS = ap.parse_args()
pinned_threads.pin(ARGS.threads)  # before numpy / torch load their thread pools

import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402



def main():
    torch.set_num_threads(ARGS.threads)
    dtype = torch.float64 if ARGS.dtype == "float64" else torch.float32
    t, meta = read_safetensors(ARGS.input)
    f = lambda name: torch.from_numpy(np.array(t[name])).to(dtype)
    x, w1, b1, w2, b2, p = f("x"), f("w1"), f("b1"), f("w2"), f("b2"), f("prototypes")
    target = torch.from_numpy(np.where(t["target"] >= 0, t["target"], -100).astype(np.int64))
    rows, offsets = t["batch_rows"].astype(np.int64), t["batch_offsets"].astype(np.int64)
    batches = [(torch.from_numpy(rows[offsets[j] : offsets[j + 1]]),) for j in range(len(offsets) - 1)]
    batches = [(b[0], target.index_select(0, b[0])) for b in batches]
    lr, wd, epochs, strength = float(meta["lr"]), float(meta["weight_decay"]), int(meta["epochs"]), float(meta["strength"])
    per_epoch = len(batches) // epochs
    k = w2.shape[1]
    eye = torch.eye(k, dtype=dtype)

    def objective(z, a, c, tgt):
        g = z @ a.T + c
        logits = -((g.unsqueeze(1) - p.unsqueeze(0)) ** 2).sum(-1)
        return F.cross_entropy(logits, tgt, ignore_index=-100) + strength * (((a - eye) ** 2).sum() + (c * c).sum())

    def fit():
        with torch.no_grad():
            z = F.leaky_relu(x @ w1 + b1, 0.2) @ w2 + b2
        a = eye.clone().requires_grad_(True)
        c = torch.zeros(k, dtype=dtype, requires_grad=True)
        opt = torch.optim.Adam([a, c], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
        best, best_loss, best_epoch = None, None, 0
        for epoch in range(1, epochs + 1):
            for idx, tgt in batches[(epoch - 1) * per_epoch : epoch * per_epoch]:
                loss = objective(z.index_select(0, idx), a, c, tgt)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            with torch.no_grad():
                loss = objective(z, a, c, target).item()
            if epoch == 1 or loss < best_loss:
                best, best_loss, best_epoch = (a.detach().clone(), c.detach().clone()), loss, epoch
        return best, best_loss, best_epoch

    fit()
    t0 = time.perf_counter()
    for _ in range(ARGS.repeats):
        _, loss, epoch = fit()
    seconds = time.perf_counter() - t0
    print(json.dumps({"ms_per_fit": 1000 * seconds / ARGS.repeats, "loss": loss, "best_epoch": epoch,
                      "dtype": ARGS.dtype, "threads": ARGS.threads, "torch": torch.__version__}))
    pinned_threads.print_report()


if __name__ == "__main__":
    main()
