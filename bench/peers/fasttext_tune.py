"""Tune the fastText peer (supervised, softmax) over a small grid the way the other tools
are tuned: per group (and fold) train on the training rows, predict the scored rows, pool
the predictions of all groups (and folds), score with the task metric (F_avg for stance,
macro-F1 otherwise), one setting for all groups. Writes the chosen options as JSON."""
import argparse
import itertools
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import add_scheme_args, read_rows, splits, task_metric, write_choice  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    add_scheme_args(ap)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import fasttext
    from ft import params, predict_labels, write_supervised
    grid = json.loads(args.grid)
    rows = read_rows(args.train)
    tmp = tempfile.mkdtemp(prefix="ft-tune-")
    # Write each training split once.
    parts = []
    for n, (g, tr, te, scored) in enumerate(splits(args, rows, args.label, args.group_by)):
        if not te:
            continue
        path = os.path.join(tmp, f"split{n}.txt")
        write_supervised(path, [rows[i]["text"] for i in tr], [rows[i][args.label] for i in tr])
        parts.append((path, [scored[i]["text"] for i in te], [scored[i][args.label] for i in te]))
    truth = [l for _, _, labels in parts for l in labels]
    keys = ["lr", "epoch", "wordNgrams", "dim"]
    settings = list(itertools.product(*(grid[k] for k in keys)))
    results = []
    start = time.perf_counter()
    for values in settings:
        opts = dict(zip(keys, values), bucket=grid.get("bucket", 200000))
        pred = []
        for path, texts, _ in parts:
            model = fasttext.train_supervised(input=path, **params(opts, args.threads))
            pred.extend(predict_labels(model, texts))
        results.append({**opts, "score": task_metric(truth, pred)})
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)
    write_choice(args.out, results, seconds)


if __name__ == "__main__":
    main()
