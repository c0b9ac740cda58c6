"""Reference values for @xling/eval's metrics, from scikit-learn, numpy and scipy.

The bootstrap cases replay xling's generator (xoshiro128** seeded by SplitMix32, core's
createRng) in pure Python, so the resampled indices are identical and the statistics on each
resample come from numpy/scikit-learn. Run from the repo root:
    /usr/bin/python3 scripts/golden/eval/make_golden.py
Writes packages/eval/src/__fixtures__/metrics-golden.json.
"""
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

M32 = 0xFFFFFFFF


def mix32(x):
    x = (x + 0x9E3779B9) & M32
    x = ((x ^ (x >> 16)) * 0x85EBCA6B) & M32
    x = ((x ^ (x >> 13)) * 0xC2B2AE35) & M32
    return (x ^ (x >> 16)) & M32


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Rng:
    """xoshiro128** with createRng's SplitMix32 seeding (packages/core/src/random/rng.ts)."""

    def __init__(self, seed):
        z = seed & M32
        self.s = []
        for _ in range(4):
            z = (z + 0x9E3779B9) & M32
            self.s.append(mix32(z))
        if not any(self.s):
            self.s[0] = 1

    def next_uint32(self):
        s = self.s
        result = (rotl((s[1] * 5) & M32, 7) * 9) & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def int(self, n):
        limit = 0x100000000 - (0x100000000 % n)
        x = self.next_uint32()
        while x >= limit:
            x = self.next_uint32()
        return x % n


rs = np.random.RandomState(20261128)
NONE = "<none>"  # stands for xling's null prediction; never in the label list


def labels_of(gold, pred):
    return sorted(set(gold) | (set(pred) - {NONE}))


def to_json_pred(pred):
    return [None if p == NONE else p for p in pred]


def make_words(n, k, p_right, p_none):
    labels = ["ADJ", "ADP", "NOUN", "PRON", "PUNCT", "VERB", "X", "DET"][:k]
    gold = [labels[i] for i in rs.choice(k, n, p=np.linspace(2, 1, k) / np.linspace(2, 1, k).sum())]
    pred = []
    for g in gold:
        u = rs.rand()
        pred.append(g if u < p_right else NONE if u < p_right + p_none else labels[rs.randint(k)])
    return gold, pred


out = {
    "generator": f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, mpmath {__import__('mpmath').__version__}",
    "classification": [],
    "bootstrap": [],
    "paired": [],
    "spread": [],
    "gap": [],
    "cluster": [],
    "pca": [],
}

# Word accuracy, macro-F1 and confusion matrices.
for n, k, p_right, p_none in [(1, 1, 1.0, 0.0), (7, 3, 0.5, 0.2), (60, 6, 0.6, 0.1), (300, 8, 0.3, 0.3)]:
    gold, pred = make_words(n, k, p_right, p_none)
    present = labels_of(gold, pred)
    case = {
        "gold": gold,
        "predicted": to_json_pred(pred),
        "accuracy": accuracy_score(gold, pred),
        "macroF1": f1_score(gold, pred, labels=present, average="macro", zero_division=0),
        "labels": present,
        "confusion": confusion_matrix(gold, pred, labels=present).tolist(),
    }
    explicit = sorted(set(present) | {"SCONJ", "AUX"})
    case["explicitLabels"] = explicit
    case["macroF1Explicit0"] = f1_score(gold, pred, labels=explicit, average="macro", zero_division=0)
    case["macroF1Explicit1"] = f1_score(gold, pred, labels=explicit, average="macro", zero_division=1)
    out["classification"].append(case)


def sentences_of(n_sent, k, p_right, p_none):
    sents = []
    for _ in range(n_sent):
        gold, pred = make_words(int(rs.randint(0, 9)), k, p_right, p_none) if rs.rand() < 0.9 else make_words(1, k, p_right, p_none)
        sents.append((gold, pred))
    return sents


def flat(sents, idx):
    g = [w for i in idx for w in sents[i][0]]
    p = [w for i in idx for w in sents[i][1]]
    return g, p


def acc_of(sents, idx):
    g, p = flat(sents, idx)
    return np.nan if len(g) == 0 else accuracy_score(g, p)


def f1_of(sents, idx):
    g, p = flat(sents, idx)
    if len(g) == 0:
        return np.nan
    return f1_score(g, p, labels=labels_of(g, p), average="macro", zero_division=0)


def ci(values, alpha):
    v = np.asarray([x for x in values if not np.isnan(x)])
    lo, hi = np.quantile(v, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi), float(np.std(v, ddof=1))


for seed, n_sent, resamples, alpha, metric in [(0, 25, 200, 0.05, "accuracy"), (7, 40, 300, 0.1, "macro-f1"), (3, 2, 50, 0.05, "accuracy")]:
    sents = sentences_of(n_sent, 5, 0.6, 0.1)
    if sum(len(g) for g, _ in sents) == 0:
        sents[0] = make_words(3, 5, 0.6, 0.1)
    f = acc_of if metric == "accuracy" else f1_of
    rng = Rng(seed)
    vals = [f(sents, [rng.int(n_sent) for _ in range(n_sent)]) for _ in range(resamples)]
    lo, hi, se = ci(vals, alpha)
    out["bootstrap"].append({
        "seed": seed, "resamples": resamples, "alpha": alpha, "metric": metric,
        "sentences": [{"gold": g, "predicted": to_json_pred(p)} for g, p in sents],
        "estimate": f(sents, range(n_sent)), "lower": lo, "upper": hi, "standardError": se,
    })

for seed, n_sent, resamples, alpha in [(11, 30, 400, 0.05)]:
    sents = sentences_of(n_sent, 4, 0.7, 0.1)
    other = [(g, [w if rs.rand() < 0.8 else NONE for w in p]) for g, p in sents]
    rng = Rng(seed)
    diffs = []
    for _ in range(resamples):
        idx = [rng.int(n_sent) for _ in range(n_sent)]
        diffs.append(acc_of(sents, idx) - acc_of(other, idx))
    d = np.asarray([x for x in diffs if not np.isnan(x)])
    lo, hi = np.quantile(d, [alpha / 2, 1 - alpha / 2])
    out["paired"].append({
        "seed": seed, "resamples": resamples, "alpha": alpha,
        "a": [{"gold": g, "predicted": to_json_pred(p)} for g, p in sents],
        "b": [{"gold": g, "predicted": to_json_pred(p)} for g, p in other],
        "estimateA": acc_of(sents, range(n_sent)), "estimateB": acc_of(other, range(n_sent)),
        "lower": float(lo), "upper": float(hi),
        "pValue": min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0))),
        "standardError": float(np.std(d, ddof=1)),
    })

# Spread across languages.
for n, ddof in [(1, 0), (2, 1), (7, 0), (12, 1)]:
    langs = [f"l{i:02d}" for i in range(n)]
    vals = rs.rand(n)
    q1, med, q3 = np.percentile(vals, [25, 50, 75])
    out["spread"].append({
        "scores": dict(zip(langs, vals.tolist())), "ddof": ddof,
        "mean": float(np.mean(vals)), "std": float(np.std(vals, ddof=ddof)), "min": float(vals.min()),
        "max": float(vals.max()), "range": float(np.ptp(vals)), "q1": float(q1), "median": float(med),
        "q3": float(q3), "iqr": float(q3 - q1), "lowest": langs[int(np.argmin(vals))], "highest": langs[int(np.argmax(vals))],
    })

# Low- vs high-resource gap, and the paired change of gap against a baseline.
for seed, n_low, n_high, resamples, alpha in [(5, 3, 4, 500, 0.05), (9, 1, 6, 200, 0.1)]:
    low = [f"low{i}" for i in range(n_low)]
    high = [f"high{i}" for i in range(n_high)]
    base = dict(zip(low + high, (np.r_[rs.rand(n_low) * 0.4, 0.5 + rs.rand(n_high) * 0.4]).tolist()))
    method = {k: v + (0.15 if k.startswith("low") else 0.02) + rs.rand() * 0.05 for k, v in base.items()}

    def gap(scores, li, hi):
        return np.mean([scores[high[i]] for i in hi]) - np.mean([scores[low[i]] for i in li])

    rng = Rng(seed)
    g_vals, draws = [], []
    for _ in range(resamples):
        li = [rng.int(n_low) for _ in range(n_low)]
        hi = [rng.int(n_high) for _ in range(n_high)]
        draws.append((li, hi))
        g_vals.append(gap(method, li, hi))
    d_vals = np.asarray([gap(method, li, hi) - gap(base, li, hi) for li, hi in draws])
    glo, ghi = np.quantile(g_vals, [alpha / 2, 1 - alpha / 2])
    dlo, dhi = np.quantile(d_vals, [alpha / 2, 1 - alpha / 2])
    all_l, all_h = list(range(n_low)), list(range(n_high))
    out["gap"].append({
        "seed": seed, "resamples": resamples, "alpha": alpha, "low": low, "high": high,
        "baseline": base, "method": method,
        "lowMean": float(np.mean([method[k] for k in low])), "highMean": float(np.mean([method[k] for k in high])),
        "gap": float(gap(method, all_l, all_h)), "lower": float(glo), "upper": float(ghi),
        "difference": float(gap(method, all_l, all_h) - gap(base, all_l, all_h)),
        "differenceLower": float(dlo), "differenceUpper": float(dhi),
        "pValue": min(1.0, 2 * min(np.mean(d_vals <= 0), np.mean(d_vals >= 0))),
    })

# Average-linkage leaf order.
for n in [3, 5, 9, 14]:
    pts = rs.randn(n, 3)
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    noisy = d + np.triu(rs.rand(n, n) * 0.01, 1)  # asymmetric; xling symmetrises by the mean
    sym = (noisy + noisy.T) / 2
    np.fill_diagonal(sym, 0)
    out["cluster"].append({
        "distance": noisy.tolist(),
        "order": leaves_list(linkage(squareform(sym, checks=False), "average")).tolist(),
        "similarity": (1 - noisy).tolist(),
    })

# PCA coordinates of stacked prototypes (covariance route k <= n, Gram route k > n).
for sizes, k in [([4, 3], 3), ([5, 5, 5], 6), ([2, 3], 9)]:
    sets, rows = [], []
    for li, size in enumerate(sizes):
        protos = rs.randn(size, k) * np.linspace(3, 0.5, k) + li
        sets.append({"language": f"lang{li}", "labels": [f"C{j}" for j in range(size)], "prototypes": protos.tolist()})
        rows.append(protos)
    x = np.vstack(rows)
    pca = PCA(n_components=2, svd_solver="full")
    coords = pca.fit_transform(x)
    out["pca"].append({"sets": sets, "coordinates": coords.tolist(), "explainedVarianceRatio": pca.explained_variance_ratio_.tolist()})

# Student-t intervals over seeds (few-shot curve points). scipy 1.10's t.ppf is only accurate to
# ~1e-9 here (e.g. df = 4: 2.13184678134 vs the exact 2.13184678633), so the quantile comes from
# mpmath at 40 digits (root of the regularised incomplete beta); the rest from numpy/scipy.
import mpmath
from scipy import stats

mpmath.mp.dps = 40


def t_quantile(p, df):
    tail = mpmath.mpf(1) - mpmath.mpf(p)
    f = lambda t: mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - tail
    return float(mpmath.findroot(f, float(stats.t.ppf(p, df))))

out["seeds"] = []
for n, alpha in [(2, 0.05), (3, 0.05), (5, 0.1), (10, 0.05), (30, 0.01)]:
    vals = 0.5 + 0.1 * rs.randn(n)
    m = float(np.mean(vals))
    q = t_quantile(1 - alpha / 2, n - 1)
    half = q * stats.sem(vals)
    out["seeds"].append({"values": vals.tolist(), "alpha": alpha, "mean": m, "lower": m - half, "upper": m + half,
                         "std": float(np.std(vals, ddof=1)), "quantile": q})

with open("packages/eval/src/__fixtures__/metrics-golden.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote packages/eval/src/__fixtures__/metrics-golden.json", file=sys.stderr)
