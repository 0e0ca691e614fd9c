"""Fit the fastText peer with fixed options (one model per group). The training file in
fastText's format is written first; only train_supervised is timed. Prints JSON."""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import groups_of, read_rows  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--group-by")
    ap.add_argument("--options", required=True, help="JSON file written by fasttext_tune.py")
    ap.add_argument("--out", required=True, help="model directory")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import fasttext
    from ft import params, write_supervised
    with open(args.options) as f:
        opts = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    rows = read_rows(args.train)
    files = {}
    for n, (g, idx) in enumerate(groups_of(rows, args.group_by).items()):
        path = os.path.join(args.out, f"train{n}.txt")
        write_supervised(path, [rows[i]["text"] for i in idx], [rows[i][args.label] for i in idx])
        files[g] = (path, f"model{n}.bin")
    seconds = 0.0
    for g, (path, name) in files.items():
        start = time.perf_counter()
        model = fasttext.train_supervised(input=path, **params(opts, args.threads, args.seed))
        seconds += time.perf_counter() - start
        model.save_model(os.path.join(args.out, name))
        os.remove(path)
    meta = {"group_by": args.group_by, "label": args.label,
            "models": {g: name for g, (_, name) in files.items()}}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f)
    print(json.dumps({"train_seconds": seconds, "rows": len(rows)}))


if __name__ == "__main__":
    main()
