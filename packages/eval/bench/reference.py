"""Reference timings for packages/eval/bench/index.ts: the same inputs through numpy, scikit-learn
and scipy.

    reference.py INPUT_JSON THREADS

Pinned to THREADS before numpy loads (scripts/bench/pinned_threads.py). Prints one JSON object of
best-of-n seconds, then the pinned_threads report line. The bootstrap uses numpy's own generator
(same amount of work, different draws)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts/bench"))
import pinned_threads  # noqa: E402

pinned_threads.pin(int(sys.argv[2]))

import numpy as np  # noqa: E402
from scipy.cluster.hierarchy import leaves_list, linkage  # noqa: E402
from scipy.spatial.distance import squareform  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

data = json.load(open(sys.argv[1]))


def best(f, n=3):
    b = 1e9
    for _ in range(n):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b


gold = np.array(data["gold"])
pred = np.array(data["predicted"])
labels = sorted(set(data["gold"]) | set(data["predicted"]))
correct = np.array(data["sentenceCorrect"], dtype=float)
total = np.array(data["sentenceTotal"], dtype=float)
resamples = data["resamples"]


def bootstrap():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(total), size=(resamples, len(total)))
    stats = correct[idx].sum(1) / total[idx].sum(1)
    return np.quantile(stats, [0.025, 0.975])


d = np.array(data["distance"])
sym = (d + d.T) / 2
np.fill_diagonal(sym, 0)
x = np.array(data["prototypes"])
print(json.dumps({
    "macroF1": best(lambda: f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
    "bootstrap": best(bootstrap),
    "cluster": best(lambda: leaves_list(linkage(squareform(sym, checks=False), "average"))),
    "pca": best(lambda: PCA(2, svd_solver="full").fit_transform(x)),
}))
pinned_threads.print_report()
