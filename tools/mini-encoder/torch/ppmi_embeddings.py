"""Distributional initialisation of the encoder's piece embeddings (a cheap pass before masked-LM).

For every vocabulary piece, the positive pointwise mutual information (PPMI, context counts
smoothed with exponent 0.75; Levy, Goldberg & Dagan 2015) with the piece right before it and,
separately, with the piece right after it, over the training sentences of the exported corpus;
each of the two matrices is reduced by truncated SVD to dim/2 columns (U * sqrt(S)), and the
halves are concatenated. Immediate left and right neighbours separate syntactic categories
(Schutze 1995), which is what the probes read. The result is scaled to the trainer's own
initialisation scale (per-element standard deviation 0.02) and written as float32 .npy.

Run: /usr/bin/python3 tools/mini-encoder/torch/ppmi_embeddings.py --work DIR [--dim 128 --seed 1]
Writes DIR/ppmi-embeddings.npy; train_mlm.py --init-embeddings DIR/ppmi-embeddings.npy reads it.
"""
import argparse
import json
import os

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds


def neighbour_pairs(tokens, offsets):
    """(piece, next piece) for every adjacent pair inside a sentence ([CLS]/[SEP] included)."""
    left, right = tokens[:-1], tokens[1:]
    inside = np.ones(len(left), dtype=bool)
    inside[offsets[1:-1] - 1] = False  # the pair that straddles two sentences
    return left[inside], right[inside]


def ppmi(rows, cols, size):
    counts = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size)).tocsr()
    counts.sum_duplicates()
    counts = counts.tocoo()
    total = counts.data.sum()
    row_sum = np.bincount(counts.row, weights=counts.data, minlength=size)
    col_sum = np.bincount(counts.col, weights=counts.data, minlength=size) ** 0.75
    col_sum *= total / col_sum.sum()
    pmi = np.log(counts.data * total / (row_sum[counts.row] * col_sum[counts.col]))
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=(size, size))


def reduce(matrix, k, seed):
    u, s, _ = svds(matrix, k=k, random_state=seed)
    return u * np.sqrt(s)


def ppmi_embeddings(tokens, offsets, size, dim, seed):
    left, right = neighbour_pairs(tokens, offsets)
    halves = [reduce(ppmi(left, right, size), dim // 2, seed), reduce(ppmi(right, left, size), dim - dim // 2, seed)]
    e = np.concatenate(halves, axis=1)
    e -= e.mean(axis=0)
    return (e * (0.02 / e.std())).astype(np.float32)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--work", required=True, help="work folder holding corpus/ (from --export-corpus)")
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    folder = os.path.join(a.work, "corpus")
    meta = json.load(open(os.path.join(folder, "corpus.json")))
    read = lambda part: np.fromfile(os.path.join(folder, f"train.{part}.i32"), dtype="<i4")
    e = ppmi_embeddings(read("tokens"), read("offsets"), meta["vocabSize"], a.dim, a.seed)
    out = os.path.join(a.work, "ppmi-embeddings.npy")
    np.save(out + ".tmp.npy", e)
    os.replace(out + ".tmp.npy", out)
    print(f"wrote {out} ({e.shape[0]} x {e.shape[1]})")


if __name__ == "__main__":
    main()
