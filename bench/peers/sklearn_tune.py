"""Tune the scikit-learn peer the way `stance tune` tunes: every feature setting is
vectorised once per group (and fold); for each class weighting the C values are fitted in
increasing order, warm-started; predictions of all groups (and folds) are pooled and scored
with the task metric (F_avg for stance, macro-F1 otherwise); one setting, C and class
weighting is chosen for all groups. Writes the chosen options as JSON."""
import argparse
import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import add_scheme_args, read_rows, splits, task_metric, write_choice  # noqa: E402


def evaluate(setting, args, rows, grid):
    warnings.filterwarnings("ignore")
    if args.n_jobs > 1:
        # The workers share the cores: one BLAS / OpenMP thread each.
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    from sk import classifier, vectorizer
    ngrams, chars, norm, sublinear, min_df = setting
    start = time.perf_counter()
    cs = sorted(grid["c"])
    cws = grid["class_weight"]
    preds = {(w, ci): [] for w in range(len(cws)) for ci in range(len(cs))}
    truth = []
    for _g, tr, te, scored in splits(args, rows, args.label, args.group_by):
        if not te:
            continue
        vec = vectorizer(ngrams, chars, sublinear, min_df, norm)
        x = vec.fit_transform([rows[i]["text"] for i in tr])
        x_te = vec.transform([scored[i]["text"] for i in te])
        y = [rows[i][args.label] for i in tr]
        for w, cw in enumerate(cws):
            clf = classifier(cs[0], cw, warm_start=True)
            for ci, c in enumerate(cs):
                clf.set_params(C=c)
                clf.fit(x, y)
                preds[(w, ci)].extend(clf.predict(x_te))
        truth.extend(scored[i][args.label] for i in te)
    best = None
    for (w, ci), p in preds.items():
        s = task_metric(truth, p)
        if best is None or s > best["score"]:
            best = {"score": s, "C": cs[ci], "class_weight": cws[w]}
    out = {"ngrams": list(ngrams), "chars": list(chars) if chars else None, "norm": norm,
           "sublinear": sublinear, "min_df": min_df, **best}
    print(json.dumps({**out, "seconds": round(time.perf_counter() - start, 1)}), file=sys.stderr, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    add_scheme_args(ap)
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args()
    grid = json.loads(args.grid)
    rows = read_rows(args.train)
    # The norm matters only with char n-grams (as in stance tune): one setting without them.
    settings = [(w, ch, norm, sub, m)
                for w in [tuple(x) for x in grid["ngrams"]]
                for ch in [tuple(x) if x else None for x in grid["chars"]]
                for norm in (grid.get("norm", ["parts"]) if ch else ["row"])
                for sub in grid["sublinear"] for m in grid["min_df"]]
    start = time.perf_counter()
    if args.n_jobs > 1:
        # loky's workers import `common` and `sk` by name.
        here = os.path.dirname(os.path.abspath(__file__))
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
        from joblib import Parallel, delayed
        results = Parallel(n_jobs=args.n_jobs)(delayed(evaluate)(s, args, rows, grid) for s in settings)
    else:
        results = [evaluate(s, args, rows, grid) for s in settings]
    seconds = time.perf_counter() - start
    write_choice(args.out, results, seconds)


if __name__ == "__main__":
    main()
