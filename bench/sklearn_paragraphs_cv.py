"""scikit-learn, tuned the way `stance tune --cv 5` tunes, on the same folds of
training-data/paragraphs.csv: the reference the shipped model is compared with.

    cargo build --release --example folds
    python bench/sklearn_paragraphs_cv.py [--grid shipped]

Features mirror stance's: lowercase, accents stripped, tokens `\\w+|[^\\w\\s]+`, word n-grams,
optional character n-grams inside space-padded tokens (char_wb), TF-IDF with smooth idf and,
with characters, either one L2 norm over the whole row (stance's `--norm row`) or one per part
(`--norm parts`: scikit-learn's FeatureUnion of a word and a char vectorizer); multinomial
logistic regression (lbfgs). For every feature setting
each task picks its best C and class weight by the task metric (F_avg for stance, macro-F1 for
sentiment) on pooled out-of-fold predictions; the setting with the best mean wins.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = re.compile(r"\w+|[^\w\s]+")


def analyzer(words, chars):
    def analyze(doc):
        toks = TOKEN.findall(strip_accents_unicode(doc.lower()))
        out = []
        if words:
            for n in range(words[0], words[1] + 1):
                out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
        if chars:
            for t in toks:
                padded = " " + t + " "
                for n in range(chars[0], min(chars[1], len(padded)) + 1):
                    out.extend("c:" + padded[i:i + n] for i in range(len(padded) - n + 1))
        return out
    return analyze


def vectorizer(words, chars, sub, min_df, norm):
    if chars is None or norm == "row":
        return TfidfVectorizer(analyzer=analyzer(words, chars), sublinear_tf=sub, min_df=min_df)
    part = lambda w, c: TfidfVectorizer(analyzer=analyzer(w, c), sublinear_tf=sub, min_df=min_df)
    return FeatureUnion([("words", part(words, None)), ("chars", part(None, chars))])


def metric(task, y, p):
    if task == "stance":
        f = f1_score(y, p, labels=["favor", "against"], average=None, zero_division=0)
        return f.mean()
    return f1_score(y, p, average="macro", zero_division=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "training-data/paragraphs.csv"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--c-values", default="0.3,1,3,10,30,100")
    ap.add_argument("--ngram-values", default="1-2,1-3")
    ap.add_argument("--norm-values", default="row,parts",
                    help="norms to try with char n-grams: row (whole row), parts (words, chars apart)")
    ap.add_argument("--part", default="0/1", help="run settings i, i+n, ... of the grid (i/n), to split the search over processes")
    args = ap.parse_args()
    part, parts = (int(x) for x in args.part.split("/"))
    folds_bin = os.path.join(ROOT, "target/release/examples/folds")
    out = subprocess.run([folds_bin, args.data, "stance", str(args.folds), str(args.seed)],
                         check=True, capture_output=True, text=True).stdout
    fold_of = dict(line.split(",") for line in out.strip().splitlines()[1:])
    with open(args.data, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    df = {k: np.array([r[k] for r in rows], dtype=object) for k in rows[0]}
    fold = np.array([int(fold_of[i]) for i in df["id"]])
    tasks = ["stance", "sentiment"]
    cs = [float(c) for c in args.c_values.split(",")]
    ngrams = [tuple(int(x) for x in r.split("-")) for r in args.ngram_values.split(",")]
    norms = args.norm_values.split(",")
    grid = [(w, ch, norm, sub, m)
            for w in ngrams for ch in [None, (2, 5)] for norm in (norms if ch else ["row"])
            for sub in [False, True] for m in [1, 2]]
    best = None
    started = time.time()
    for words, chars, norm, sub, min_df in grid[part::parts]:
        preds = {(t, cw, c): np.empty(len(rows), dtype=object)
                 for t in tasks for cw in (None, "balanced") for c in cs}
        for k in range(args.folds):
            tr, te = fold != k, fold == k
            vec = vectorizer(words, chars, sub, min_df, norm)
            xtr = vec.fit_transform(df["text"][tr])
            xte = vec.transform(df["text"][te])
            for t in tasks:
                for cw in (None, "balanced"):
                    # Ascending C with warm starts, as stance tune does.
                    m = LogisticRegression(class_weight=cw, max_iter=2000, warm_start=True)
                    for c in sorted(cs):
                        m.set_params(C=c)
                        m.fit(xtr, df[t][tr])
                        preds[(t, cw, c)][te] = m.predict(xte)
        choice = {}
        for t in tasks:
            scored = [(metric(t, df[t], preds[(t, cw, c)]), c, cw) for cw in (None, "balanced") for c in cs]
            s, c, cw = max(scored, key=lambda x: x[0])
            p = preds[(t, cw, c)]
            choice[t] = dict(C=c, class_weight=cw or "none", score=s,
                             macro_f1=f1_score(df[t], p, average="macro"),
                             accuracy=accuracy_score(df[t], p))
        score = np.mean([choice[t]["score"] for t in tasks])
        setting = dict(words=words, chars=chars, norm=norm, sublinear_tf=sub, min_df=min_df)
        print(json.dumps({"score": round(score, 4), **setting, **{t: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in choice[t].items()} for t in tasks}}), flush=True)
        if best is None or score > best[0]:
            best = (score, setting, choice)
    print("best:", json.dumps({"score": best[0], **best[1], "tasks": best[2]}))
    print(f"search took {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
