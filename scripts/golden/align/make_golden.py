#!/usr/bin/python3
"""Golden values for @xling/align, from numpy / scipy / scikit-learn.

Run with Debian's interpreter (numpy, scipy, sklearn installed):
    /usr/bin/python3 scripts/golden/align/make_golden.py [--only NAME[,NAME]]
Writes packages/align/src/__fixtures__/*.json, each with a header naming the library versions;
`--only measures,rsa` regenerates just those fixtures (names: the keys of FIXTURES below).
Where a reference has no function of its own (generalised Procrustes, PWCCA, SVCCA, debiased
HSIC, the concept-space measures) the script implements the published definition in numpy; for
CKA it reproduces the code of Kornblith et al. (2019).
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy
import scipy.linalg
import scipy.spatial
import scipy.stats
import sklearn
from scipy.spatial.distance import pdist
from sklearn.cross_decomposition import CCA as SkCCA
from sklearn.utils.extmath import svd_flip

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "packages", "align", "src", "__fixtures__")
HEADER = {
    "generator": "scripts/golden/align/make_golden.py",
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
}


def write(name, cases):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({"header": HEADER, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


def L(a):
    return np.asarray(a, dtype=np.float64).tolist()


# Seeded per fixture in main() (each from its own entry in FIXTURES), so regenerating one
# fixture leaves the inputs of the others unchanged.
rng = None


def gauss(n, d):
    return rng.standard_normal((n, d))


# ---------------------------------------------------------------- procrustes
def procrustes_cases():
    cases = []

    def add(name, x, y, determined=True):
        m1, m2, disp = scipy.spatial.procrustes(x, y)
        cases.append({"name": name, "x": L(x), "y": L(y), "disparity": float(disp),
                      "mtx1": L(m1), "mtx2": L(m2), "mtx2Determined": determined})

    add("random n > d (20 x 5)", gauss(20, 5), gauss(20, 5))
    add("square (8 x 8)", gauss(8, 8), gauss(8, 8))
    add("thin d > 2n (6 x 15)", gauss(6, 15), gauss(6, 15))
    add("thin d >> n (5 x 40)", gauss(5, 40), gauss(5, 40))
    add("between n and 2n (6 x 9)", gauss(6, 9), gauss(6, 9))
    x = gauss(12, 4)
    q, _ = np.linalg.qr(gauss(4, 4))
    refl = np.diag([1.0, 1.0, 1.0, -1.0])
    add("pure reflection + scale + shift", x, 2.5 * x @ q @ refl + 3.0)
    add("rank-deficient x (10 x 6, rank 3)", gauss(10, 3) @ gauss(3, 6), gauss(10, 6), determined=False)
    base = gauss(7, 4)
    dup = np.vstack([base, base[:3] + 1e-9 * gauss(3, 4)])
    add("near-duplicate rows", dup, gauss(10, 4))
    add("one column (9 x 1)", gauss(9, 1), gauss(9, 1))
    add("integer grid with ties", np.array([[0, 0], [0, 1], [1, 0], [1, 1], [2, 2]], float),
        np.array([[1, 0], [0, 1], [1, 1], [0, 0], [3, 1]], float))
    # The paper's workload shape, small d so the fixture stays small.
    add("17 prototypes in 64 dims", gauss(17, 64), gauss(17, 64))
    write("procrustes.json", cases)


def orthogonal_cases():
    cases = []

    def kabsch(a, b):
        u, s, vt = np.linalg.svd(a.T @ b)
        if np.linalg.det(u @ vt) < 0:
            u[:, -1] *= -1
            return u @ vt, float(s.sum() - 2 * s[-1])
        return u @ vt, float(s.sum())

    def add(name, a, b, unique=True):
        r, scale = scipy.linalg.orthogonal_procrustes(a, b)
        rf, scalef = kabsch(a, b)
        cases.append({"name": name, "a": L(a), "b": L(b), "rotation": L(r), "scale": float(scale),
                      "aRotated": L(a @ r), "rotationForbid": L(rf), "scaleForbid": scalef,
                      "aRotatedForbid": L(a @ rf), "unique": unique})

    add("random 15 x 4", gauss(15, 4), gauss(15, 4))
    a = gauss(10, 3)
    add("reflection target", a, a @ np.diag([1.0, -1.0, 1.0]))
    add("thin 4 x 11", gauss(4, 11), gauss(4, 11), unique=False)
    add("one row 1 x 3", gauss(1, 3), gauss(1, 3), unique=False)
    add("square 6 x 6", gauss(6, 6), gauss(6, 6))
    write("orthogonal-procrustes.json", cases)


def generalized_cases():
    cases = []

    def gpa(mats, tol=1e-12, max_iter=100):
        std = []
        for m in mats:
            c = m - m.mean(0)
            std.append(c / np.linalg.norm(c))
        cons = std[0].copy()
        prev = np.inf
        it = 0
        conv = False
        while it < max_iter:
            it += 1
            aligned = [s @ scipy.linalg.orthogonal_procrustes(s, cons)[0] for s in std]
            cons = sum(aligned) / len(aligned)
            res = sum(float(np.sum((a - cons) ** 2)) for a in aligned)
            if prev - res <= tol:
                conv = True
                break
            prev = res
        return aligned, cons, res, it, conv

    for name, mats in [("three 12 x 3", [gauss(12, 3) for _ in range(3)]),
                       ("four noisy rotations 10 x 4", None)]:
        if mats is None:
            base = gauss(10, 4)
            mats = []
            for _ in range(4):
                q, _ = np.linalg.qr(gauss(4, 4))
                mats.append(base @ q + 0.05 * gauss(10, 4))
        aligned, cons, res, it, conv = gpa(mats)
        cases.append({"name": name, "matrices": [L(m) for m in mats], "aligned": [L(a) for a in aligned],
                      "consensus": L(cons), "residual": res, "iterations": it, "converged": conv})
    write("generalized-procrustes.json", cases)


# ---------------------------------------------------------------- CCA family
def cca_reference(x, y, rx=0.0, ry=0.0):
    n = x.shape[0]
    xc = x - x.mean(0)
    yc = y - y.mean(0)
    cxx = xc.T @ xc / (n - 1) + rx * np.eye(x.shape[1])
    cyy = yc.T @ yc / (n - 1) + ry * np.eye(y.shape[1])
    cxy = xc.T @ yc / (n - 1)
    lx = np.linalg.cholesky(cxx)
    ly = np.linalg.cholesky(cyy)
    m = scipy.linalg.solve_triangular(lx, cxy, lower=True)
    m = scipy.linalg.solve_triangular(ly, m.T, lower=True).T
    u, s, vt = np.linalg.svd(m, full_matrices=False)
    u, vt = svd_flip(u, vt)
    wx = scipy.linalg.solve_triangular(lx.T, u, lower=False)
    wy = scipy.linalg.solve_triangular(ly.T, vt.T, lower=False)
    return np.minimum(s, 1.0), wx, wy


def qr_correlations(x, y):
    qx, _ = np.linalg.qr(x - x.mean(0))
    qy, _ = np.linalg.qr(y - y.mean(0))
    return np.minimum(np.linalg.svd(qx.T @ qy, compute_uv=False), 1.0)


def cca_cases():
    cases = []
    for name, n, dx, dy, ridge in [("random 40 x 5 / 4", 40, 5, 4, 0.0), ("random 30 x 3 / 6", 30, 3, 6, 0.0),
                                   ("ridge 8 x 10 / 6 (n < d)", 8, 10, 6, 0.5),
                                   ("ridge 50 x 4 / 4", 50, 4, 4, 0.1)]:
        x = gauss(n, dx)
        y = 0.6 * x[:, :min(dx, dy)] @ gauss(min(dx, dy), dy) + gauss(n, dy) if dy >= 1 else None
        s, wx, wy = cca_reference(x, y, ridge, ridge)
        case = {"name": name, "x": L(x), "y": L(y), "ridge": ridge, "correlations": L(s),
                "xWeights": L(wx), "yWeights": L(wy), "determined": int(np.sum(s > 1e-8))}
        if ridge == 0.0:
            case["correlationsQr"] = L(qr_correlations(x, y))
            sk = SkCCA(n_components=1, scale=False, max_iter=5000, tol=1e-15).fit(x, y)
            xs, ys = sk.transform(x, y)
            case["sklearnFirst"] = float(abs(np.corrcoef(xs[:, 0], ys[:, 0])[0, 1]))
        cases.append(case)
    # Rank-deficient columns with ridge only (without ridge the covariance is singular).
    x = gauss(25, 3) @ gauss(3, 5)
    y = gauss(25, 4)
    s, wx, wy = cca_reference(x, y, 1e-3, 0.0)
    cases.append({"name": "rank-deficient x with ridge [1e-3, 0]", "x": L(x), "y": L(y), "ridge": [1e-3, 0.0],
                  "correlations": L(s), "xWeights": L(wx), "yWeights": L(wy),
                  "determined": int(np.sum(s > 1e-8))})
    write("cca.json", cases)


def svcca_reference(x, y, share):
    def reduce(m):
        c = m - m.mean(0)
        u, s, _ = np.linalg.svd(c, full_matrices=False)
        var = s ** 2
        k = int(np.searchsorted(np.cumsum(var) / var.sum(), share) + 1)
        k = min(k, len(s))
        return u[:, :k] * s[:k], k
    rx, kx = reduce(x)
    ry, ky = reduce(y)
    corr = qr_correlations(rx, ry)
    return float(corr.mean()), corr, kx, ky


def pwcca_reference(x, y):
    s, wx, wy = cca_reference(x, y)
    use_x = x.shape[1] <= y.shape[1]
    c = (x - x.mean(0)) if use_x else (y - y.mean(0))
    h = c @ (wx if use_x else wy)
    h = h / np.linalg.norm(h, axis=0)
    w = np.abs(h.T @ c).sum(axis=1)
    w = w / w.sum()
    return float((w * s).sum()), s, w


def svcca_pwcca_cases():
    cases = []
    for name, n, dx, dy, share in [("svcca 60 x 8 / 6, 0.9", 60, 8, 6, 0.9), ("svcca 12 x 20 / 15, 0.95 (n < d)", 12, 20, 15, 0.95),
                                   ("svcca 40 x 5 / 5, 0.99", 40, 5, 5, 0.99)]:
        x = gauss(n, dx) * np.linspace(3, 0.2, dx)
        y = x[:, :min(dx, dy)] @ gauss(min(dx, dy), dy) + 0.5 * gauss(n, dy)
        sim, corr, kx, ky = svcca_reference(x, y, share)
        cases.append({"kind": "svcca", "name": name, "x": L(x), "y": L(y), "varianceShare": share,
                      "similarity": sim, "correlations": L(corr), "xComponents": kx, "yComponents": ky})
    for name, n, dx, dy in [("pwcca 50 x 4 / 6", 50, 4, 6), ("pwcca 50 x 6 / 3", 50, 6, 3)]:
        x = gauss(n, dx)
        y = x[:, :min(dx, dy)] @ gauss(min(dx, dy), dy) + gauss(n, dy)
        sim, corr, w = pwcca_reference(x, y)
        cases.append({"kind": "pwcca", "name": name, "x": L(x), "y": L(y), "similarity": sim,
                      "correlations": L(corr), "weights": L(w)})
    write("svcca-pwcca.json", cases)


# ---------------------------------------------------------------- CKA (Kornblith et al. 2019 code)
def gram_linear(x):
    return x.dot(x.T)


def gram_rbf(x, threshold=1.0):
    dot_products = x.dot(x.T)
    sq_norms = np.diag(dot_products)
    sq_distances = -2 * dot_products + sq_norms[:, None] + sq_norms[None, :]
    sq_median_distance = np.median(sq_distances)
    return np.exp(-sq_distances / (2 * threshold ** 2 * sq_median_distance))


def center_gram(gram, unbiased=False):
    gram = gram.copy()
    if unbiased:
        n = gram.shape[0]
        np.fill_diagonal(gram, 0)
        means = np.sum(gram, 0, dtype=np.float64) / (n - 2)
        means -= np.sum(means) / (2 * (n - 1))
        gram -= means[:, None]
        gram -= means[None, :]
        np.fill_diagonal(gram, 0)
    else:
        means = np.mean(gram, 0, dtype=np.float64)
        means -= np.mean(means) / 2
        gram -= means[:, None]
        gram -= means[None, :]
    return gram


def cka(gram_x, gram_y, debiased=False):
    gram_x = center_gram(gram_x, unbiased=debiased)
    gram_y = center_gram(gram_y, unbiased=debiased)
    scaled_hsic = gram_x.ravel().dot(gram_y.ravel())
    return scaled_hsic / (np.linalg.norm(gram_x) * np.linalg.norm(gram_y))


def _debiased_dot_product_similarity_helper(xty, sum_squared_rows_x, sum_squared_rows_y, squared_norm_x, squared_norm_y, n):
    return (xty - n / (n - 2.) * sum_squared_rows_x.dot(sum_squared_rows_y)
            + squared_norm_x * squared_norm_y / ((n - 1) * (n - 2))) / (n * (n - 3))


def feature_space_linear_cka(features_x, features_y, debiased=False):
    features_x = features_x - np.mean(features_x, 0, keepdims=True)
    features_y = features_y - np.mean(features_y, 0, keepdims=True)
    dot_product_similarity = np.linalg.norm(features_x.T.dot(features_y)) ** 2
    normalization_x = np.linalg.norm(features_x.T.dot(features_x))
    normalization_y = np.linalg.norm(features_y.T.dot(features_y))
    if debiased:
        n = features_x.shape[0]
        sum_squared_rows_x = np.einsum('ij,ij->i', features_x, features_x)
        sum_squared_rows_y = np.einsum('ij,ij->i', features_y, features_y)
        squared_norm_x = np.sum(sum_squared_rows_x)
        squared_norm_y = np.sum(sum_squared_rows_y)
        dot_product_similarity = _debiased_dot_product_similarity_helper(
            dot_product_similarity, sum_squared_rows_x, sum_squared_rows_y, squared_norm_x, squared_norm_y, n)
        normalization_x = np.sqrt(_debiased_dot_product_similarity_helper(
            normalization_x ** 2, sum_squared_rows_x, sum_squared_rows_x, squared_norm_x, squared_norm_x, n))
        normalization_y = np.sqrt(_debiased_dot_product_similarity_helper(
            normalization_y ** 2, sum_squared_rows_y, sum_squared_rows_y, squared_norm_y, squared_norm_y, n))
    return dot_product_similarity / (normalization_x * normalization_y)


def hsic_reference(x, y, kernel, threshold, debiased):
    n = x.shape[0]
    if kernel == "linear":
        k = gram_linear(x - x.mean(0))
        l = gram_linear(y - y.mean(0))
    else:
        k = gram_rbf(x, threshold)
        l = gram_rbf(y, threshold)
    kc = center_gram(k, debiased)
    lc = center_gram(l, debiased)
    inner = kc.ravel().dot(lc.ravel())
    return float(inner / (n * (n - 3)) if debiased else inner / (n - 1) ** 2)


def cka_cases():
    cases = []
    for name, n, dx, dy in [("n > d (30 x 4 / 6)", 30, 4, 6), ("n < d (8 x 20 / 12)", 8, 20, 12), ("tiny (5 x 2 / 3)", 5, 2, 3)]:
        x = gauss(n, dx)
        y = np.tanh(x[:, :1] @ gauss(1, dy)) + 0.3 * gauss(n, dy)
        case = {"name": name, "x": L(x), "y": L(y),
                "linear": float(feature_space_linear_cka(x, y)),
                "linearGram": float(cka(gram_linear(x), gram_linear(y))),
                "linearDebiased": float(feature_space_linear_cka(x, y, debiased=True)),
                "linearDebiasedGram": float(cka(gram_linear(x), gram_linear(y), debiased=True)),
                "rbf": float(cka(gram_rbf(x, 1.0), gram_rbf(y, 1.0))),
                "rbfHalf": float(cka(gram_rbf(x, 0.5), gram_rbf(y, 0.5))),
                "rbfDebiased": float(cka(gram_rbf(x, 1.0), gram_rbf(y, 1.0), debiased=True)),
                "hsicLinear": hsic_reference(x, y, "linear", 1.0, False),
                "hsicLinearDebiased": hsic_reference(x, y, "linear", 1.0, True),
                "hsicRbfDebiased": hsic_reference(x, y, "rbf", 0.8, True)}
        cases.append(case)
    write("cka.json", cases)


# ---------------------------------------------------------------- RDM / RSA
def rsa_cases():
    cases = []

    def add(name, x, y, metrics=("euclidean", "sqeuclidean", "cosine", "correlation")):
        case = {"name": name, "x": L(x), "y": L(y), "rdm": {}, "rsa": {}}
        for metric in metrics:
            rx = pdist(x, metric)
            ry = pdist(y, metric)
            case["rdm"][metric] = [L(rx), L(ry)]
            case["rsa"][metric] = {
                "spearman": float(scipy.stats.spearmanr(rx, ry)[0]),
                "pearson": float(scipy.stats.pearsonr(rx, ry)[0]),
                "kendall": float(scipy.stats.kendalltau(rx, ry)[0]),
            }
        cases.append(case)

    add("random 10 x 5 / 7", gauss(10, 5), gauss(10, 7))
    add("tied distances (integer grid)", np.array([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [0, 2]], float),
        np.array([[0, 0], [1, 1], [2, 2], [0, 1], [1, 0], [3, 3]], float), metrics=("euclidean", "sqeuclidean"))
    base = gauss(6, 3)
    add("near-duplicate rows", np.vstack([base, base[:2] + 1e-7]), gauss(8, 3), metrics=("euclidean",))
    add("d > n (5 x 30)", gauss(5, 30), gauss(5, 30))
    vec_cases = []
    for name, a, b in [("ties", [1, 2, 2, 3, 3, 3, 4, 0], [2, 2, 1, 4, 3, 3, 5, 0]),
                       ("random", rng.standard_normal(25).tolist(), rng.standard_normal(25).tolist()),
                       ("many ties", rng.integers(0, 3, 40).tolist(), rng.integers(0, 4, 40).tolist())]:
        a = np.asarray(a, float)
        b = np.asarray(b, float)
        vec_cases.append({"name": name, "a": L(a), "b": L(b),
                          "spearman": float(scipy.stats.spearmanr(a, b)[0]),
                          "pearson": float(scipy.stats.pearsonr(a, b)[0]),
                          "kendall": float(scipy.stats.kendalltau(a, b)[0])})
    write("rsa.json", cases)
    write("correlations.json", vec_cases)


# ---------------------------------------------------------------- large (d > 96) fast paths
def formula(n, d, seed):
    """Deterministic inputs both sides can rebuild exactly: integer arithmetic, one division."""
    i = np.arange(n, dtype=np.int64)[:, None]
    j = np.arange(d, dtype=np.int64)[None, :]
    return ((i * i * 7 + j * j * 13 + i * j * 31 + i * 17 + j * 5 + seed * 101) % 1009) / 1009.0 - 0.5


def large_cases():
    cases = {}
    a = formula(130, 110, 1)
    b = 0.5 * a + formula(130, 110, 2)
    r, scale = scipy.linalg.orthogonal_procrustes(a, b)
    cases["orthogonal"] = {"n": 130, "d": 110, "seedA": 1, "seedB": 2, "scale": float(scale),
                           "corner": L(r[:4, :4]), "columnSums": L(r.sum(0)), "aRotatedSum": float((a @ r).sum())}
    m1, m2, disp = scipy.spatial.procrustes(a, b)
    cases["procrustes"] = {"disparity": float(disp), "mtx2RowSums": L(m2.sum(1))}
    x = formula(300, 110, 3)
    y = 0.3 * x[:, :100] + formula(300, 100, 4)
    cases["cca"] = {"nx": 300, "dx": 110, "dy": 100, "seedX": 3, "seedY": 4, "correlations": L(qr_correlations(x, y))}
    # thin path at scale: 20 x 300 (2n < d)
    t1 = formula(20, 300, 5)
    t2 = formula(20, 300, 6)
    m1, m2, disp = scipy.spatial.procrustes(t1, t2)
    cases["thin"] = {"n": 20, "d": 300, "seedA": 5, "seedB": 6, "disparity": float(disp), "mtx2RowSums": L(m2.sum(1)),
                     "mtx2Corner": L(m2[:3, :5])}
    with open(os.path.join(OUT, "large.json"), "w") as f:
        json.dump({"header": HEADER, **cases}, f, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------- concept-space measures
# Written from the definitions in Klabunde et al. (2023) and the cited papers, one plain loop or
# formula each; ties between neighbours go to the lower row index, as in @xling/align.
def pairwise_distances(x, metric):
    if metric == "euclidean":
        return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    return 1.0 - cosine_matrix(x)


def cosine_matrix(x):
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    return unit @ unit.T


def knn_sets(distances, k):
    n = distances.shape[0]
    return [set(sorted((j for j in range(n) if j != i), key=lambda j: (distances[i, j], j))[:k]) for i in range(n)]


def mutual_knn_overlap(x, y, k, metric):
    nx = knn_sets(pairwise_distances(x, metric), k)
    ny = knn_sets(pairwise_distances(y, metric), k)
    return float(np.mean([len(a & b) / len(a | b) for a, b in zip(nx, ny)]))


def second_order_cosine(x, y, k):
    """Hamilton et al. (2016): cosine of the two first-order similarity vectors."""
    sx, sy = cosine_matrix(x), cosine_matrix(y)
    nx, ny = knn_sets(1.0 - sx, k), knn_sets(1.0 - sy, k)
    values = []
    for i in range(x.shape[0]):
        union = sorted(nx[i] | ny[i])
        a, b = sx[i, union], sy[i, union]
        values.append(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return float(np.mean(values))


def angular_procrustes(x, y):
    """Williams et al. (2021): arccos of the nuclear norm of Xc^T Yc over the Frobenius norms."""
    xc, yc = x - x.mean(0), y - y.mean(0)
    cosine = np.linalg.norm(xc.T @ yc, "nuc") / (np.linalg.norm(xc) * np.linalg.norm(yc))
    return float(np.arccos(min(1.0, cosine)))


def distance_correlation(x, y):
    """Székely, Rizzo & Bakirov (2007): empirical distance correlation (V-statistics)."""
    def double_centred(m):
        a = pairwise_distances(m, "euclidean")
        return a - a.mean(0, keepdims=True) - a.mean(1, keepdims=True) + a.mean()
    a, b = double_centred(x), double_centred(y)
    return float(np.sqrt((a * b).mean() / np.sqrt((a * a).mean() * (b * b).mean())))


def normalized_bures(x, y):
    """Tang et al. (2020): fidelity of the centred linear Gram matrices, by matrix square roots."""
    n = x.shape[0]
    h = np.eye(n) - 1.0 / n
    kx, ky = h @ x @ x.T @ h, h @ y @ y.T @ h
    root = scipy.linalg.sqrtm(kx)
    fidelity = np.trace(scipy.linalg.sqrtm(root @ ky @ root)).real
    return float(fidelity / np.sqrt(np.trace(kx) * np.trace(ky)))


def rsm_riemannian_distance(x, y):
    """Shahbazi et al. (2021): affine-invariant distance of the uncentred RSMs X X^T / d."""
    sx, sy = x @ x.T / x.shape[1], y @ y.T / y.shape[1]
    eigenvalues = scipy.linalg.eigh(sy, sx, eigvals_only=True)
    return float(np.sqrt(np.sum(np.log(eigenvalues) ** 2)))


def measures_cases():
    cases = []

    def add(name, x, y, knn_metrics=("euclidean", "cosine"), knn_only=False):
        n = x.shape[0]
        ks = sorted({1, min(3, n - 2), n - 2})
        case = {"name": name, "x": L(x), "y": L(y),
                "mutualKnnOverlap": [{"k": k, "metric": m, "value": mutual_knn_overlap(x, y, k, m)}
                                     for m in knn_metrics for k in ks]}
        if not knn_only:
            case.update({
                "secondOrderCosine": [{"k": k, "value": second_order_cosine(x, y, k)}
                                      for k in sorted({1, min(3, n - 1), n - 1})],
                "angularProcrustes": angular_procrustes(x, y),
                "distanceCorrelation": distance_correlation(x, y),
                "normalizedBures": normalized_bures(x, y),
                # null where an RSM is singular (n > d): the TS function must throw there.
                "rsmRiemannianDistance": rsm_riemannian_distance(x, y) if n <= min(x.shape[1], y.shape[1]) else None,
            })
            # The literal sqrtm route and the nuclear-norm identity the TS code uses must agree
            # (to ~sqrt(eps): sqrtm of the singular centred Gram matrices is that accurate).
            assert abs(case["normalizedBures"] - np.cos(case["angularProcrustes"])) < 1e-7, name
        cases.append(case)

    def related(x, dy, noise):
        return np.tanh(x @ gauss(x.shape[1], dy)) + noise * gauss(x.shape[0], dy)

    for n, dx, dy in [(5, 3, 16), (5, 16, 40), (8, 16, 16), (8, 40, 3), (17, 40, 16), (17, 16, 40), (17, 3, 3)]:
        x = gauss(n, dx)
        add(f"related {n} x {dx} / {dy}", x, related(x, dy, 0.5))
    add("independent 17 x 40 / 40", gauss(17, 40), gauss(17, 40))
    x = gauss(8, 16)
    add("identical 8 x 16", x, x.copy())
    q, _ = np.linalg.qr(gauss(16, 16))
    add("rotated and scaled 8 x 16", x, 2.5 * x @ q)
    x = gauss(17, 3)
    q, _ = np.linalg.qr(gauss(3, 3))
    add("rotated, scaled and shifted 17 x 3", x, 0.5 * x @ q + 4.0)
    # Integer points: Euclidean distances are exact, so tied neighbours are genuine ties.
    grid = np.array([[i, j] for i in range(3) for j in range(3)], float)
    add("integer grid with tied neighbours 9 x 2", grid, grid[[0, 4, 8, 1, 5, 6, 2, 3, 7]],
        knn_metrics=("euclidean",), knn_only=True)
    write("measures.json", cases)


FIXTURES = {
    "procrustes": (procrustes_cases, 1001),
    "orthogonal-procrustes": (orthogonal_cases, 1002),
    "generalized-procrustes": (generalized_cases, 1003),
    "cca": (cca_cases, 1004),
    "svcca-pwcca": (svcca_pwcca_cases, 1005),
    "cka": (cka_cases, 1006),
    "rsa": (rsa_cases, 1007),  # also writes correlations.json
    "large": (large_cases, 1008),
    "measures": (measures_cases, 1009),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated fixture names: " + ", ".join(FIXTURES))
    names = parser.parse_args().only
    selected = list(FIXTURES) if names is None else names.split(",")
    unknown = [name for name in selected if name not in FIXTURES]
    if unknown:
        parser.error("unknown fixture(s) " + ", ".join(unknown) + "; known: " + ", ".join(FIXTURES))
    global rng
    for name in selected:
        make, seed = FIXTURES[name]
        rng = np.random.default_rng(seed)
        make()
        print("wrote", name)


if __name__ == "__main__":
    main()
