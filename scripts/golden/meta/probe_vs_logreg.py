"""Is xling's in-language probe within 7 points of a converged logistic regression?

For an `xling run` / `xling demo` output folder, re-reads from the representation store exactly
the fitting and test words the run used (METHOD.md sections 2-3; instances built as
packages/meta/src/instances/build-instances(-from-tensors).ts builds them), fits reference
classifiers on the fitting words and scores them on the test words, beside the run's own
in-language probe:

  LR        sklearn LogisticRegression, multinomial, lbfgs, C = 1.0 (sklearn's default; --C),
            max_iter 10000, on standardised vectors (StandardScaler fitted on the fitting words;
            --raw for raw vectors); convergence checked (n_iter_ < max_iter)
  NCM       sklearn NearestCentroid (Euclidean) on the raw vectors: exactly the probe's class
            means mu_c, without the learned W
  majority  the most frequent label of the language's fitting words
  lookup    a word-identity tagger (most frequent label per word form) -- only when the store
            holds word forms (a `form`/`forms`/`form_ids` tensor); today it does not, so the
            column is left out

Probe accuracy: the report's zero-shot score with method 'in-language' for the language, task
and layer. Languages with no such score (the source, meta-training languages with a test split)
get the accuracy recomputed here from the saved probe (<task>-L<layer>/<treebank>/ in the probes
stage folder that the run folder's stages.json names), marked
with a dagger; where both exist the recomputed value is checked against the report.

Which store entries: store keys are (model, layer, pooling, treebank, split) and split names carry
the sample (`train.sample2000-seed0.windows`). The fitting split is `train`, or `dev` where the
language has no train split (report.json run.splitSubstitutions); the entry is the one whose
split name starts with that split, whose stored-sentence count equals the report's, and whose
class means equal the saved probe's class_means (checked, to 1e-5). The test entry: split `test`,
same stored-sentence count, same number of test words as the report's score.

Rule checked (the issue "probes must be within 7 points of a converged logistic regression"):
for every language, probe >= NCM and probe >= LR - 7 points. Exit status 1 when it fails (or an
LR fit did not converge), 2 for unusable input.

Run with Debian's Python (numpy, scipy, scikit-learn, threadpoolctl from apt):
  /usr/bin/python3 scripts/golden/meta/probe_vs_logreg.py OUT/runs/<hash> [--store OUT/store]
      [--layer L] [--tasks upos,deprel] [--languages en,de] [--C 1.0] [--raw] [--max-iter 10000]
      [--margin 7] [--out table.md]
Users and CI never need Python: this is a reference check.
"""
import argparse
import json
import os
import platform
import sys
import warnings

import numpy as np

UPOS = "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
DEPREL = (
    "acl advcl advmod amod appos aux case cc ccomp clf compound conj cop csubj dep det discourse "
    "dislocated expl fixed flat goeswith iobj list mark nmod nsubj nummod obj obl orphan parataxis "
    "punct reparandum root vocative xcomp"
).split()
NUM_LABELS = {"upos": len(UPOS), "deprel": len(DEPREL)}
FORM_TENSORS = ("form", "forms", "form_ids", "word_ids")
DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


class InputError(Exception):
    pass


# ---------------------------------------------------------------- safetensors with plain numpy
def read_safetensors(path):
    """All tensors of a safetensors file: 8-byte little-endian header length, JSON header, raw data."""
    with open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] not in DTYPES:
            raise InputError(f"{path}: tensor {name} has unsupported dtype {t['dtype']}")
        start, end = t["data_offsets"]
        a = np.frombuffer(raw, dtype=DTYPES[t["dtype"]], count=(end - start) // np.dtype(DTYPES[t["dtype"]]).itemsize, offset=base + start)
        out[name] = a.reshape(t["shape"])
    return out


def read_entry(store_dir, entry):
    """Concatenates an entry's shards in manifest order; vectors as float32 (F16 widened exactly)."""
    parts = [read_safetensors(os.path.join(store_dir, entry["folder"], s["file"])) for s in entry["shards"]]
    if not parts:
        raise InputError(f"store entry {entry['key']} has no shards")
    out = {}
    for name in parts[0]:
        arrays = [p[name] for p in parts]
        a = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        if a.dtype.kind == "f" and name in ("words", "root"):
            a = a.astype(np.float32)
        out[name] = a
    return out


# ---------------------------------------------------------------- instances, as xling builds them
def build_instances(t, task):
    """buildInstancesFromTensors: POS = word vector; deprel = head vector minus dependent vector,
    the root's head being the sentence's `root` vector. Words with label -1 (or outside the
    inventory), and for deprel with head -1, are dropped. Returns (x float64 [n, d], labels int)."""
    words = t["words"].astype(np.float64)
    counts = t["word_counts"].astype(np.int64)
    labels = t[task].astype(np.int64)
    W = words.shape[0]
    if counts.sum() != W or labels.shape[0] != W:
        raise InputError(f"word_counts sum {counts.sum()} / {task} {labels.shape[0]} != words {W}")
    keep = (labels >= 0) & (labels < NUM_LABELS[task])
    if task == "upos":
        return words[keep], labels[keep], keep
    heads = t["head"].astype(np.int64)
    root = t["root"].astype(np.float64)
    keep &= heads >= 0
    sent = np.repeat(np.arange(len(counts)), counts)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])[sent]
    if np.any(heads[keep] > counts[sent][keep]):
        raise InputError("a head points outside its sentence")
    head_rows = np.where(heads > 0, first + heads - 1, 0)
    head_vec = np.where((heads == 0)[:, None], root[sent], words[head_rows])
    x = head_vec - words
    return x[keep], labels[keep], keep


# ---------------------------------------------------------------- run / store lookup
def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(f"missing {path}")


def probes_dir(run_dir):
    """The run's probes folder: the one its stages.json names (<outDir>/stages/probes/<key>), or
    RUN_DIR/probes for runs made before the stages had folders of their own."""
    stages = os.path.join(run_dir, "stages.json")
    if not os.path.exists(stages):
        return os.path.join(run_dir, "probes")
    return os.path.normpath(os.path.join(run_dir, load_json(stages)["probes"]["dir"]))


def split_base(split_name):
    return split_name.split(".", 1)[0]


def find_entry(entries, model, layer, pooling, treebank, split, stored, check=None, what=""):
    cands = [
        e
        for e in entries
        if e["key"]["model"] == model
        and e["key"]["layer"] == layer
        and e["key"]["pooling"] == pooling
        and e["key"]["treebank"] == treebank
        and split_base(e["key"]["split"]) == split
        and e.get("status") == "complete"
    ]
    if stored is not None:
        same = [e for e in cands if int(e.get("info", {}).get("storedSentences", -1)) == stored]
        cands = same or cands
    if check is not None and len(cands) > 1:
        ok = [e for e in cands if check(e)]
        cands = ok or cands
    if not cands:
        raise InputError(f"no complete store entry for {treebank} {split} ({what}) at layer {layer}")
    if len(cands) > 1:
        raise InputError(f"ambiguous store entries for {treebank} {split}: {[e['key']['split'] for e in cands]}")
    return cands[0]


def probe_predict(weights, means, proto_labels, x, log_prior=None):
    """Nearest prototype, minus the log class prior where the probe uses one (classPrior 'empirical')."""
    z = x @ weights
    p = means @ weights
    d2 = (z * z).sum(1)[:, None] - 2 * z @ p.T + (p * p).sum(1)[None, :]
    if log_prior is not None:
        d2 = d2 - log_prior[None, :]
    return proto_labels[np.argmin(d2, axis=1)]


def probe_log_prior(cfg, proto_labels):
    """log(n_c / n) over the prototype rows for probes with classPrior 'empirical' (the default from
    config version 2 on; version 1 probes had none), else None."""
    prior = cfg.get("options", {}).get("classPrior", "empirical" if cfg.get("version", 1) >= 2 else "uniform")
    if prior != "empirical":
        return None
    counts = np.asarray(cfg["labelCounts"], dtype=np.float64)[proto_labels]
    return np.log(counts / counts.sum())


# ---------------------------------------------------------------- main
def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", help="OUT/runs/<hash> (holds report.json and stages.json)")
    ap.add_argument("--store", help="representation store (default: RUN_DIR/../../store)")
    ap.add_argument("--layer", type=int, help="layer (default: report.json run.layer)")
    ap.add_argument("--tasks", default="upos,deprel", help="comma-separated; tasks without probes are skipped")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the LR (default 1.0)")
    ap.add_argument("--raw", action="store_true", help="LR on raw vectors instead of standardised ones")
    ap.add_argument("--max-iter", type=int, default=10000)
    ap.add_argument("--margin", type=float, default=7.0, help="allowed points below LR (default 7)")
    ap.add_argument("--languages", help="comma-separated language codes to check (default: all)")
    ap.add_argument("--out", help="also write the Markdown to this file")
    return ap.parse_args(argv)


def header(run, model, layer, pooling, args, run_dir, store_dir):
    """The Markdown header: run, library versions, the baselines' settings and the rule."""
    import scipy
    import sklearn
    import threadpoolctl

    lib = ", ".join(
        f"{n} {v}"
        for n, v in [
            ("python", platform.python_version()),
            ("numpy", np.__version__),
            ("scipy", scipy.__version__),
            ("scikit-learn", sklearn.__version__),
            ("threadpoolctl", threadpoolctl.__version__),
        ]
    )
    blas = "; ".join(
        f"{i.get('internal_api')}{' ' + i['version'] if i.get('version') else ''} ({i.get('prefix')}) x{i.get('num_threads')} threads"
        for i in threadpoolctl.threadpool_info()
    )
    return [
        f"# Probe vs logistic regression — run {run.get('configHash', '?')}, model {model}, layer {layer}, pooling {pooling}",
        "",
        f"- libraries: {lib}; BLAS/OpenMP: {blas or 'none found'}",
        f"- LR: LogisticRegression(multinomial, lbfgs, C={args.C:g}, max_iter={args.max_iter}) on "
        f"{'raw' if args.raw else 'standardised (StandardScaler fitted on the fitting words)'} vectors; "
        "NCM: NearestCentroid (Euclidean) on raw vectors; majority: the fitting words' most frequent label",
        f"- rule: probe >= NCM and probe >= LR - {args.margin:g} points, for every language",
        # Relative to where it ran, so the Markdown (pasted into docs/results.md) names no machine path.
        f"- run dir {os.path.relpath(run_dir)}; store {os.path.relpath(store_dir)}",
    ]


def baselines(xf, yf, xt, yt, args):
    """Test accuracy of a converged multinomial LR, the nearest centroid and the majority label."""
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestCentroid
    from sklearn.preprocessing import StandardScaler

    xs, xts = xf, xt
    if not args.raw:
        sc = StandardScaler().fit(xf)
        xs, xts = sc.transform(xf), sc.transform(xt)
    lr_kwargs = dict(C=args.C, solver="lbfgs", max_iter=args.max_iter)
    if tuple(int(v) for v in sklearn.__version__.split(".")[:2]) < (1, 5):
        lr_kwargs["multi_class"] = "multinomial"  # later versions: multinomial is the only lbfgs behaviour
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lr = LogisticRegression(**lr_kwargs).fit(xs, yf)
    n_iter = int(np.max(lr.n_iter_))
    return dict(
        lr=float(np.mean(lr.predict(xts) == yt)),
        ncm=float(np.mean(NearestCentroid().fit(xf, yf).predict(xt) == yt)),
        maj=float(np.mean(yt == np.bincount(yf).argmax())),
        n_iter=n_iter,
        converged=n_iter < args.max_iter and not any("converge" in str(w.message).lower() for w in caught),
    )


def check_language(ctx, task, tb, probe_dir, fit_split, notes):
    """One table row: the run's probe on exactly its fitting and test words, beside the baselines."""
    lang, name, splits = tb["language"], tb["treebank"], tb["splits"]
    store_dir, entries, model, layer, pooling, args = (ctx[k] for k in ("store_dir", "entries", "model", "layer", "pooling", "args"))
    cfg = load_json(os.path.join(probe_dir, "config.json"))
    st = read_safetensors(os.path.join(probe_dir, "model.safetensors"))
    pw, pmeans = st["weights"].astype(np.float64), st["class_means"].astype(np.float64)
    plabels = np.asarray(cfg["prototypeLabels"], dtype=np.int64)
    if cfg.get("fitSplit") not in (None, fit_split):
        notes.append(f"{lang}: probe declares fitSplit {cfg.get('fitSplit')}, report implies {fit_split}")
    cache = {}

    def instances(entry):
        k = entry["folder"]
        if k not in cache:
            cache[k] = build_instances(read_entry(store_dir, entry), task)
        return cache[k]

    def means_match(entry):
        x, y, _ = instances(entry)
        present = np.unique(y)
        if not np.array_equal(present, plabels):
            return False
        mu = np.stack([x[y == c].mean(0) for c in present])
        return np.max(np.abs(mu - pmeans)) <= 1e-5 * max(1.0, np.max(np.abs(pmeans)))

    fit_entry = find_entry(entries, model, layer, pooling, name, fit_split, splits[fit_split], means_match, "fit")
    score = next(
        (z for z in ctx["zero"] if z["task"] == task and z["layer"] == layer and z["language"] == lang and z["method"] == "in-language"),
        None,
    )
    test_entry = find_entry(
        entries, model, layer, pooling, name, "test", splits["test"],
        (lambda e: len(instances(e)[1]) == score["n"]) if score else None, "test",
    )
    xf, yf, _ = instances(fit_entry)
    xt, yt, _ = instances(test_entry)
    if not means_match(fit_entry):
        raise InputError(f"{lang} {task}: the fitting words' class means differ from the saved probe's")
    if score and score["n"] != len(yt):
        raise InputError(f"{lang} {task}: {len(yt)} test words here, {score['n']} in the report")
    tensors = read_safetensors(os.path.join(store_dir, fit_entry["folder"], fit_entry["shards"][0]["file"]))
    ctx["have_forms"] = ctx["have_forms"] or any(n in tensors for n in FORM_TENSORS)
    recomputed = float(np.mean(probe_predict(pw, pmeans, plabels, xt, probe_log_prior(cfg, plabels)) == yt))
    if score:
        probe_acc, mark = score["accuracy"], ""
        if abs(recomputed - probe_acc) > 1e-6:
            notes.append(f"{lang} {task}: probe accuracy recomputed from the saved probe {recomputed:.4f} != report {probe_acc:.4f}")
    else:
        probe_acc, mark = recomputed, "†"
    b = baselines(xf, yf, xt, yt, args)
    ok = probe_acc >= b["ncm"] and probe_acc >= b["lr"] - args.margin / 100 and b["converged"]
    return dict(lang=lang, fit_split=fit_split, nf=len(yf), nt=len(yt), probe=probe_acc, mark=mark, ok=ok, **b)


def task_table(task, layer, rows):
    """The Markdown section of one task: a row per language and the mean row."""
    out = ["", f"## {task.upper() if task == 'upos' else 'deprel'} (layer {layer})", ""]
    if not rows:
        return out + ["No language with a fitting split, a test split and a probe."]
    out.append("| language | fit split | n fit | n test | probe acc | LR acc | NCM acc | majority acc | probe − LR | probe − NCM | LR iters | ok |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        out.append(
            f"| {r['lang']} | {r['fit_split']} | {r['nf']} | {r['nt']} | {100 * r['probe']:.1f}{r['mark']} | "
            f"{100 * r['lr']:.1f} | {100 * r['ncm']:.1f} | {100 * r['maj']:.1f} | "
            f"{100 * (r['probe'] - r['lr']):+.1f} | {100 * (r['probe'] - r['ncm']):+.1f} | "
            f"{r['n_iter']}{'' if r['converged'] else ' (not converged)'} | {'yes' if r['ok'] else '**no**'} |"
        )
    mean = lambda key: 100 * float(np.mean([r[key] for r in rows]))
    out.append(
        f"| mean ({len(rows)}) | | | | {mean('probe'):.1f} | {mean('lr'):.1f} | {mean('ncm'):.1f} | {mean('maj'):.1f} | "
        f"{mean('probe') - mean('lr'):+.1f} | {mean('probe') - mean('ncm'):+.1f} | | |"
    )
    if any(r["mark"] for r in rows):
        out += ["", "† no 'in-language' score in report.json for this language (not a zero-shot target): recomputed from the saved probe."]
    return out


def main(argv=None):
    args = parse_args(argv)
    run_dir = os.path.abspath(args.run_dir)
    store_dir = os.path.abspath(args.store or os.path.join(run_dir, "..", "..", "store"))
    report = load_json(os.path.join(run_dir, "report.json"))
    entries = load_json(os.path.join(store_dir, "manifest.json"))["entries"]
    run = report["run"]
    layer = args.layer if args.layer is not None else run["layer"]
    pooling = run.get("pooling", "first")
    model = run["model"]["name"]
    models = {e["key"]["model"] for e in entries}
    if model not in models:
        if len(models) != 1:
            raise InputError(f"store has no model {run['model']['name']!r} (has {sorted(models)})")
        model = next(iter(models))
    subs = {(s["language"], s["used"], s["insteadOf"]) for s in run.get("splitSubstitutions", [])}
    ctx = dict(store_dir=store_dir, entries=entries, model=model, layer=layer, pooling=pooling, args=args,
               zero=report.get("zeroShot") or [], have_forms=False)
    lines = header(run, model, layer, pooling, args, run_dir, store_dir)
    failures, notes, checked = [], [], 0
    only = {l.strip() for l in args.languages.split(",")} if args.languages else None
    for task in [t.strip() for t in args.tasks.split(",") if t.strip()]:
        probe_root = os.path.join(probes_dir(run_dir), f"{task}-L{layer}")
        if not os.path.isdir(probe_root):
            notes.append(f"{task}: no probes at layer {layer} in this run, skipped")
            continue
        rows = []
        for tb in run["ud"]["treebanks"]:
            lang, splits = tb["language"], tb["splits"]
            fit_split = "train" if "train" in splits else ("dev" if "dev" in splits else None)
            if fit_split == "dev" and (lang, "dev", "train") not in subs:
                notes.append(f"{lang}: fits on dev but the report declares no substitution")
            probe_dir = os.path.join(probe_root, tb["treebank"])
            if fit_split is None or "test" not in splits or not os.path.isdir(probe_dir):
                continue
            if only is not None and lang not in only:
                continue
            checked += 1
            rows.append(check_language(ctx, task, tb, probe_dir, fit_split, notes))
            if not rows[-1]["ok"]:
                failures.append(f"{task} {lang}")
        lines += task_table(task, layer, rows)
    lines.append("")
    if not ctx["have_forms"]:
        lines.append("Word-identity lookup tagger: skipped (the store holds no word forms).")
    lines += [f"- note: {n}" for n in notes]
    rule = f"probe >= NCM and probe >= LR - {args.margin:g} points (LR converged)"
    if checked == 0:
        failures.append("no language checked")
    if not failures:
        lines.append(f"**PASS**: all {checked} language × task rows satisfy {rule}.")
    else:
        lines.append(f"**FAIL**: {len(failures)} of {checked} language × task rows do not satisfy {rule}: {', '.join(failures)}.")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0 if not failures else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except InputError as e:
        print(f"probe_vs_logreg: {e}", file=sys.stderr)
        sys.exit(2)
