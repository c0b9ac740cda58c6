"""Golden values for @xling/meta: loss and gradients of one meta-learning step (zero-shot with U,
few-shot with an adapter) and two torch.optim.Adam steps, in float64 PyTorch, written to
packages/meta/src/__fixtures__/meta-step-golden.json.

Run with Debian's /usr/bin/python3 (torch 1.13):  /usr/bin/python3 scripts/golden/meta/meta_step.py
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20231019)
n, d, h, k, m = 7, 5, 6, 3, 4


def arr(*shape, scale=1.0):
    return rng.standard_normal(shape) * scale


x = arr(n, d)
w1 = arr(d, h, scale=0.6)  # stored d x h (right-multiplied), as xling stores it
b1 = arr(h, scale=0.3)
w2 = arr(h, k, scale=0.6)
b2 = arr(k, scale=0.3)
u = arr(k, k, scale=0.7)
a = arr(k, k, scale=0.7)
c = arr(k, scale=0.3)
mask = np.where(rng.random((n, h)) < 0.33, 0.0, 1 / 0.67)
protos = arr(m, k)
target = np.array([0, 1, 2, 3, -1, 2, 0])


def step(variant):
    t = {name: torch.tensor(v, requires_grad=True) for name, v in dict(w1=w1, b1=b1, w2=w2, b2=b2).items()}
    if variant == "zero-shot":
        t["u"] = torch.tensor(u, requires_grad=True)
    else:
        t["a"] = torch.tensor(a, requires_grad=True)
        t["c"] = torch.tensor(c, requires_grad=True)
    hidden = F.leaky_relu(torch.tensor(x) @ t["w1"] + t["b1"], 0.2) * torch.tensor(mask)
    z = hidden @ t["w2"] + t["b2"]
    p = torch.tensor(protos)
    if variant == "zero-shot":
        q = p @ t["u"].T
        g = z
    else:
        q = p
        g = z @ t["a"].T + t["c"]
    dist = torch.cdist(g, q) ** 2
    keep = torch.tensor(target >= 0)
    loss = F.cross_entropy(-dist[keep], torch.tensor(target[keep]))
    loss.backward()
    return {"loss": loss.item(), "grads": {name: v.grad.numpy().ravel().tolist() for name, v in t.items()}}


# Two Adam steps (torch semantics: L2 weight decay in the gradient) on a fixed parameter and gradients.
start = arr(5)
param = torch.tensor(start.copy(), requires_grad=True)
grads = [arr(5), arr(5)]
opt = torch.optim.Adam([param], lr=0.01, weight_decay=0.1)
for g in grads:
    opt.zero_grad()
    param.grad = torch.tensor(g)
    opt.step()

out = {
    "generator": "scripts/golden/meta/meta_step.py",
    "versions": {"torch": torch.__version__, "numpy": np.__version__},
    "shape": {"n": n, "d": d, "h": h, "k": k, "m": m},
    "inputs": {
        "x": x.ravel().tolist(), "w1": w1.ravel().tolist(), "b1": b1.tolist(), "w2": w2.ravel().tolist(),
        "b2": b2.tolist(), "u": u.ravel().tolist(), "a": a.ravel().tolist(), "c": c.tolist(),
        "mask": mask.ravel().tolist(), "prototypes": protos.ravel().tolist(), "target": target.tolist(),
    },
    "zeroShot": step("zero-shot"),
    "fewShot": step("few-shot"),
    "adam": {
        "lr": 0.01, "weightDecay": 0.1,
        "start": start.tolist(),
        "grads": [g.tolist() for g in grads],
        "result": param.detach().numpy().tolist(),
    },
}
path = pathlib.Path(__file__).resolve().parents[3] / "packages/meta/src/__fixtures__/meta-step-golden.json"
json.dump(out, open(path, "w"), indent=1)
print("wrote", path)
