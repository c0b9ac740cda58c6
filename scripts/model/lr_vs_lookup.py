"""Does the model's space beat a word-identity lookup tagger?

For an `xling demo` / `xling run` output folder: on the run's main layer, fits a converged
multinomial logistic regression on exactly the fitting words the run used and scores it on the
run's test words (scripts/golden/meta/probe_vs_logreg.py does the reading and fitting), and puts
it beside the word-identity lookup tagger that xling computed on the same words (report.json
`probes[].wordLookup`: the most frequent label of the word form in the fitting words, the
majority label for an unseen form). The run's own probe is shown too.

Rule checked (issue 13): over the languages with fitting and test words, LR beats the lookup
tagger by at least --min-mean points on average (default 5) and by at least --min-each points in
every language (default 0). Exit status 1 when it fails, 2 for unusable input.

Run with Debian's Python (numpy, scipy, scikit-learn from apt):
  /usr/bin/python3 scripts/model/lr_vs_lookup.py OUT/runs/<hash> [--store OUT/store] [--task upos]
      [--min-mean 5] [--min-each 0] [--out table.md]
Users and CI never need Python: this is a reference check.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "meta"))
import probe_vs_logreg as pv  # noqa: E402


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", help="OUT/runs/<hash> (holds report.json and stages.json)")
    ap.add_argument("--store", help="representation store (default: RUN_DIR/../../store)")
    ap.add_argument("--task", default="upos")
    ap.add_argument("--min-mean", type=float, default=5.0, help="points LR must beat lookup by on average")
    ap.add_argument("--min-each", type=float, default=0.0, help="points LR must beat lookup by in every language")
    ap.add_argument("--out", help="also write the Markdown to this file")
    args = ap.parse_args(argv)
    # The logistic regression of probe_vs_logreg.py, with its defaults.
    args.C, args.raw, args.max_iter, args.margin = 1.0, False, 10000, 7.0
    return args


def rows_of(args, run_dir, store_dir, report):
    run = report["run"]
    layer, entries = run["layer"], pv.load_json(os.path.join(store_dir, "manifest.json"))["entries"]
    models = {e["key"]["model"] for e in entries}
    model = run["model"]["name"] if run["model"]["name"] in models else next(iter(models))
    ctx = dict(store_dir=store_dir, entries=entries, model=model, layer=layer, pooling=run.get("pooling", "first"),
               args=args, zero=report.get("zeroShot") or [], have_forms=False)
    lookup = {(p["task"], p["layer"], p["language"]): p for p in report.get("probes") or []}
    rows, notes = [], []
    for tb in run["ud"]["treebanks"]:
        lang, splits = tb["language"], tb["splits"]
        fit_split = "train" if "train" in splits else ("dev" if "dev" in splits else None)
        probe_dir = os.path.join(pv.probes_dir(run_dir), f"{args.task}-L{layer}", tb["treebank"])
        summary = lookup.get((args.task, layer, lang))
        if fit_split is None or "test" not in splits or not os.path.isdir(probe_dir) or summary is None:
            continue
        if summary.get("wordLookup") is None:
            continue
        row = pv.check_language(ctx, args.task, tb, probe_dir, fit_split, notes)
        row.update(lookup=summary["wordLookup"], coverage=summary.get("wordLookupCoverage"))
        rows.append(row)
    return rows, notes, layer, model


def main(argv=None):
    args = parse_args(argv)
    run_dir = os.path.abspath(args.run_dir)
    store_dir = os.path.abspath(args.store or os.path.join(run_dir, "..", "..", "store"))
    report = pv.load_json(os.path.join(run_dir, "report.json"))
    rows, notes, layer, model = rows_of(args, run_dir, store_dir, report)
    if not rows:
        raise pv.InputError("no language with fitting and test words, a probe and a lookup score")
    lines = [
        f"| language | n fit | n test | LR | lookup | LR − lookup | probe | test forms seen in fitting |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        seen = "" if r["coverage"] is None else f"{100 * r['coverage']:.0f}%"
        lines.append(
            f"| {r['lang']} | {r['nf']} | {r['nt']} | {100 * r['lr']:.1f} | {100 * r['lookup']:.1f} | "
            f"{100 * (r['lr'] - r['lookup']):+.1f} | {100 * r['probe']:.1f}{r['mark']} | {seen} |"
        )
    margin = np.array([100 * (r["lr"] - r["lookup"]) for r in rows])
    mean = lambda k: 100 * float(np.mean([r[k] for r in rows]))
    lines.append(f"| **mean ({len(rows)})** | | | {mean('lr'):.1f} | {mean('lookup'):.1f} | {margin.mean():+.1f} | {mean('probe'):.1f} | |")
    worst = rows[int(np.argmin(margin))]["lang"]
    ok = margin.mean() >= args.min_mean and margin.min() >= args.min_each and all(r["converged"] for r in rows)
    verdict = (
        f"**{'PASS' if ok else 'FAIL'}**: LR − lookup is {margin.mean():+.1f} points on average (needs ≥ {args.min_mean:g}) "
        f"and at least {margin.min():+.1f} in every language (lowest: {worst}; needs ≥ {args.min_each:g}); "
        f"{sum(m < args.min_each for m in margin)} language(s) below."
    )
    head = [
        f"{args.task.upper()} accuracy (%) on layer {layer} of {model}, run {report['run'].get('configHash', '?')}: "
        "LR = converged multinomial logistic regression on standardised vectors (scikit-learn, C = 1); "
        "lookup = xling's word-identity tagger on the same words; probe = the run's own linear probe "
        "(† recomputed from the saved probe). Made by `scripts/model/lr_vs_lookup.py`.",
        "",
    ]
    text = "\n".join(head + lines + ["", verdict] + [f"- note: {n}" for n in notes]) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except pv.InputError as e:
        print(f"lr_vs_lookup: {e}", file=sys.stderr)
        sys.exit(2)
