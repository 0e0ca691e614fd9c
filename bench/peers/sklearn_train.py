"""Fit the scikit-learn peer with fixed options (one pipeline per group). Prints JSON with
the in-process time of vectorising + fitting (reading the CSV and saving are not timed)."""
import argparse
import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import groups_of, read_rows  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--group-by")
    ap.add_argument("--options", required=True, help="JSON file written by sklearn_tune.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--c-path", help="comma list of smaller C values to fit first, each "
                    "warm-starting the next, as the tuning did (default: a cold fit)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import joblib
    from sk import pipeline
    with open(args.options) as f:
        opts = json.load(f)
    rows = read_rows(args.train)
    data = {g: ([rows[i]["text"] for i in idx], [rows[i][args.label] for i in idx])
            for g, idx in groups_of(rows, args.group_by).items()}
    models = {}
    start = time.perf_counter()
    path = [float(c) for c in args.c_path.split(",")] if args.c_path else []
    for g, (texts, labels) in data.items():
        if not path:
            models[g] = pipeline(opts).fit(texts, labels)
            continue
        pipe = pipeline(opts)
        x = pipe.named_steps["tfidf"].fit_transform(texts)
        lr = pipe.named_steps["lr"].set_params(warm_start=True)
        for c in path + [opts["C"]]:
            lr.set_params(C=c).fit(x, labels)
        models[g] = pipe
    seconds = time.perf_counter() - start
    joblib.dump({"group_by": args.group_by, "label": args.label, "models": models}, args.out)
    iters = {g: int(max(m.named_steps["lr"].n_iter_)) for g, m in models.items()}
    print(json.dumps({"train_seconds": seconds, "rows": len(rows), "iterations": iters}))


if __name__ == "__main__":
    main()
