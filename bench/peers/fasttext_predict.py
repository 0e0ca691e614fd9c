"""Label the rows of a CSV with a saved fastText peer model; writes JSON Lines like
`stance predict --format jsonl` (id, and per task the label and class probabilities)."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import groups_of, read_rows  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True, help="model directory")
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import fasttext
    fasttext.FastText.eprint = lambda *a, **k: None  # load_model's API-change notice
    from ft import line
    with open(os.path.join(args.model, "meta.json")) as f:
        meta = json.load(f)
    rows = read_rows(args.data)
    out = [None] * len(rows)
    for g, idx in groups_of(rows, meta["group_by"]).items():
        model = fasttext.load_model(os.path.join(args.model, meta["models"][g]))
        labels, probs = model.predict([line(rows[i]["text"]) for i in idx], k=-1)
        for i, ls, ps in zip(idx, labels, probs):
            names = [l[len("__label__"):] for l in ls]
            out[i] = {"id": rows[i]["id"], meta["label"]: {
                "label": names[0], "probabilities": dict(zip(names, map(float, ps)))}}
    with open(args.out, "w") as f:
        for o in out:
            f.write(json.dumps(o) + "\n")


if __name__ == "__main__":
    main()
