"""Reference side of bench/index.ts (and @xling/align-onnxruntime's bench): the same inputs
through numpy / scipy, timed.

    /usr/bin/python3 reference.py MANIFEST THREADS

Called with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the environment (so OpenBLAS
picks its own kernel for this CPU), and pinned to THREADS before numpy loads
(scripts/bench/pinned_threads.py). Reads the manifest JSON and the raw little-endian float64
files it names (beside it); prints one JSON object, then the pinned_threads report line.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts/bench"))
import pinned_threads  # noqa: E402

pinned_threads.pin(int(sys.argv[2]))

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.spatial  # noqa: E402
import scipy.stats  # noqa: E402
from scipy.spatial.distance import pdist  # noqa: E402

folder = os.path.dirname(os.path.abspath(sys.argv[1]))
manifest = json.load(open(sys.argv[1]))


def load(name, shape):
    return np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape)


def all_pairs_numpy(data):
    """xling's all-pairs algorithm written as a numpy user would, vectorised over languages and
    pairs: standardise each language (centre, unit Frobenius norm); one batched thin QR of X^T per
    language (X = R^T Q^T); per pair the singular values of the n x n R_i R_j^T (batched SVD), so
    disparity = 1 - (sum of them)^2; Spearman RSA as the Pearson correlation of each language's
    ranked condensed Euclidean RDM (ranks once per language, every pair from one Gram product).
    Returns the upper-triangle values in row-major pair order."""
    k, n, d = data.shape
    i, j = np.triu_indices(k, 1)
    x = data - data.mean(axis=1, keepdims=True)
    x /= np.linalg.norm(x, axis=(1, 2), keepdims=True)
    if n < d:
        r = np.linalg.qr(np.swapaxes(x, 1, 2), mode="r")
        cores = r[i] @ np.swapaxes(r[j], 1, 2)
    else:
        cores = np.swapaxes(x[i], 1, 2) @ x[j]
    disparity = 1 - np.linalg.svd(cores, compute_uv=False).sum(axis=1) ** 2
    ranks = scipy.stats.rankdata(np.stack([pdist(m) for m in data]), axis=1)
    ranks -= ranks.mean(axis=1, keepdims=True)
    ranks /= np.linalg.norm(ranks, axis=1, keepdims=True)
    rsa = (ranks @ ranks.T)[i, j]
    return np.maximum(disparity, 0), rsa


out = {"workloads": {}}
for w in manifest.get("alignability", []):
    k, n, d = w["languages"], w["rows"], w["dim"]
    data = load(w["file"], (k, n, d))
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)][: w["scipyPairs"]]
    disparities, rsas = [], []
    t = time.perf_counter()
    for i, j in pairs:
        disparities.append(scipy.spatial.procrustes(data[i], data[j])[2])
        rsas.append(scipy.stats.spearmanr(pdist(data[i]), pdist(data[j]))[0])
    elapsed = time.perf_counter() - t
    best, (disparity, rsa) = float("inf"), (None, None)
    for _ in range(3):
        t = time.perf_counter()
        disparity, rsa = all_pairs_numpy(data)
        best = min(best, time.perf_counter() - t)
    out["workloads"][w["name"]] = {"pairs": len(pairs), "seconds": elapsed, "disparity": disparities, "rsa": rsas,
                                   "numpy": {"seconds": best, "disparity": disparity.tolist(), "rsa": rsa.tolist()}}

wl = manifest.get("wordLevel")
if wl:
    n, d = wl["rows"], wl["dim"]
    x = load(wl["x"], (n, d))
    y = load(wl["y"], (n, d))
    res = {}

    def timed(name, f, repeats=3):
        best = float("inf")
        value = None
        for _ in range(repeats):
            t = time.perf_counter()
            value = f()
            best = min(best, time.perf_counter() - t)
        res[name] = {"seconds": best}
        return value

    r, scale = timed("orthogonalProcrustes", lambda: scipy.linalg.orthogonal_procrustes(x, y))
    res["orthogonalProcrustes"]["scale"] = float(scale)
    res["orthogonalProcrustes"]["rotationSample"] = r[:3, :3].ravel().tolist()

    def cca():
        xc = x - x.mean(0)
        yc = y - y.mean(0)
        cxx = xc.T @ xc / (n - 1)
        cyy = yc.T @ yc / (n - 1)
        cxy = xc.T @ yc / (n - 1)
        lx = np.linalg.cholesky(cxx)
        ly = np.linalg.cholesky(cyy)
        m = scipy.linalg.solve_triangular(lx, cxy, lower=True)
        m = scipy.linalg.solve_triangular(ly, m.T, lower=True).T
        return np.linalg.svd(m, compute_uv=False)

    s = timed("cca", cca)
    res["cca"]["correlations"] = s[:5].tolist()

    def cka():
        xc = x - x.mean(0)
        yc = y - y.mean(0)
        return np.linalg.norm(xc.T @ yc) ** 2 / (np.linalg.norm(xc.T @ xc) * np.linalg.norm(yc.T @ yc))

    res["linearCka"] = {}
    v = timed("linearCka", cka)
    res["linearCka"]["value"] = float(v)
    timed("gemmTN", lambda: x.T @ y)
    out["wordLevel"] = res

print(json.dumps(out))
pinned_threads.print_report()
