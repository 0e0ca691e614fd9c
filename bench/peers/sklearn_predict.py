"""Label the rows of a CSV with a saved scikit-learn peer model; writes JSON Lines like
`stance predict --format jsonl` (id, and per task the label and class probabilities)."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import groups_of, read_rows  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import joblib
    m = joblib.load(args.model)
    rows = read_rows(args.data)
    out = [None] * len(rows)
    for g, idx in groups_of(rows, m["group_by"]).items():
        model = m["models"][g]
        proba = model.predict_proba([rows[i]["text"] for i in idx])
        classes = list(model.classes_)
        for i, p in zip(idx, proba):
            k = int(p.argmax())
            out[i] = {"id": rows[i]["id"], m["label"]: {
                "label": classes[k], "probabilities": dict(zip(classes, map(float, p)))}}
    with open(args.out, "w") as f:
        for o in out:
            f.write(json.dumps(o) + "\n")


if __name__ == "__main__":
    main()
