"""PyTorch reference for bench/index.ts: one meta-training step of the zero-shot meta-learner
(METHOD.md section 5) and one linear-probe step (section 3), same shapes as the xling bench.

    meta_step.py N D H K M PROBE_N REPEATS THREADS

Pinned to THREADS before torch loads (scripts/bench/pinned_threads.py). Prints one JSON line with
median milliseconds per step, then the pinned_threads report line."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../scripts/bench"))
import pinned_threads  # noqa: E402

n, d, h, k, m, probe_n, repeats, threads = (int(v) for v in sys.argv[1:9])
pinned_threads.pin(threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)


def euclidean_dist(x, y):  # as in the reference code (expand, pow, sum)
    a, b = x.size(0), y.size(0)
    return torch.pow(x.unsqueeze(1).expand(a, b, x.size(1)) - y.unsqueeze(0).expand(a, b, x.size(1)), 2).sum(2)


phi = nn.Sequential(nn.Linear(d, h), nn.LeakyReLU(0.2), nn.Dropout(0.33), nn.Linear(h, k))
for layer in (phi[0], phi[3]):
    nn.init.xavier_normal_(layer.weight)
    nn.init.zeros_(layer.bias)
u = nn.Linear(k, k, bias=False)
nn.init.eye_(u.weight)
params = list(phi.parameters()) + list(u.parameters())
opt = torch.optim.Adam(params, lr=5e-5, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=65000)
x = torch.randn(n, d)
protos = torch.randn(m, k)
y = torch.randint(0, m, (n,))
phi.train()


def meta_step():
    opt.zero_grad()
    z = phi(x)
    q = u(protos)
    loss = F.cross_entropy(-euclidean_dist(z, q), y)
    loss.backward()
    opt.step()
    sched.step()
    return loss.item()


w = nn.Parameter(torch.randn(d, 32) * (2 / (d + 32)) ** 0.5)
popt = torch.optim.Adam([w], lr=1e-4, weight_decay=1e-6)
px = torch.randn(probe_n, d)
means = torch.randn(17, d)
py = torch.randint(0, 17, (probe_n,))


def probe_step():
    popt.zero_grad()
    loss = F.cross_entropy(-euclidean_dist(px @ w, means @ w), py)
    loss.backward()
    popt.step()
    return loss.item()


def median_ms(fn):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]


print(json.dumps({"metaStepMs": median_ms(meta_step), "probeStepMs": median_ms(probe_step)}))
pinned_threads.print_report()
