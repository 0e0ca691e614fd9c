"""Shared helpers of the peers' scripts and of run.py: data reading, metrics, folds, grids.

Standard library only, so that run.py can import it without the benchmark venv.
"""
import csv
import json
import random
import re
import sys
import unicodedata

csv.field_size_limit(sys.maxsize)

# stance's tokens: maximal runs of word characters and maximal runs of other non-space
# characters, after NFD + accent stripping + lowercasing (src/text/tokenize.rs).
TOKEN_PATTERN = r"(?u)\w+|[^\w\s]+"
_TOKEN = re.compile(TOKEN_PATTERN)


def strip_accents(s):
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def tokens(text):
    """The tokens fastText is given: stance's tokenisation, joined by spaces."""
    return _TOKEN.findall(strip_accents(text.lower()))


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(path, rows, fields):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in fields})


def groups_of(rows, group_by):
    """Row indices per group, groups in sorted order (one group "" without group_by)."""
    if not group_by:
        return {"": list(range(len(rows)))}
    out = {}
    for i, r in enumerate(rows):
        out.setdefault(r[group_by], []).append(i)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- metrics

def report(truth, pred):
    """accuracy, macro-F1, macro-recall, F_avg (mean F1 of favor and against, when the
    classes include both), per-class figures. Classes: those of truth and predictions."""
    classes = sorted(set(truth) | set(pred))
    n = len(truth)
    per = {}
    for c in classes:
        tp = sum(1 for t, p in zip(truth, pred) if t == c and p == c)
        fp = sum(1 for t, p in zip(truth, pred) if t != c and p == c)
        fn = sum(1 for t, p in zip(truth, pred) if t == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    out = {
        "n": n,
        "accuracy": sum(1 for t, p in zip(truth, pred) if t == p) / n if n else 0.0,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 0.0,
        "macro_recall": sum(v["recall"] for v in per.values()) / len(per) if per else 0.0,
        "f_avg": None,
        "per_class": per,
    }
    if "favor" in per and "against" in per:
        out["f_avg"] = (per["favor"]["f1"] + per["against"]["f1"]) / 2
    return out


def task_metric(truth, pred):
    """The selection metric, as `stance tune` uses it: F_avg when the task has favor and
    against, macro-F1 otherwise."""
    r = report(truth, pred)
    return r["f_avg"] if r["f_avg"] is not None else r["macro_f1"]


# ---------------------------------------------------------------- folds

def load_folds(path, rows):
    """Fold of each row from a CSV `id,fold` (as stance's `folds` example prints them)."""
    fold_of = {r["id"]: int(r["fold"]) for r in read_rows(path)}
    return [fold_of[r["id"]] for r in rows]


def stratified_folds(labels, k, seed):
    """Fallback when stance's folds are not available: shuffle each class and deal the rows
    round-robin over the folds, as stance does (not the same random stream)."""
    rng = random.Random(seed)
    fold = [0] * len(labels)
    nxt = 0
    for c in sorted(set(labels)):
        idx = [i for i, l in enumerate(labels) if l == c]
        rng.shuffle(idx)
        for i in idx:
            fold[i] = nxt % k
            nxt += 1
    return fold


def fold_assignment(args, rows, label):
    if args.folds:
        return load_folds(args.folds, rows)
    return stratified_folds([r[label] for r in rows], args.cv, args.seed)


def add_scheme_args(ap):
    ap.add_argument("--train", required=True)
    ap.add_argument("--validation")
    ap.add_argument("--folds", help="CSV id,fold: cross-validate on these folds")
    ap.add_argument("--cv", type=int, help="K-fold stratified CV (when --folds is not given)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--label", required=True)
    ap.add_argument("--group-by")
    ap.add_argument("--grid", required=True, help="JSON object of the values to try")
    ap.add_argument("--out", required=True, help="where to write the chosen options (JSON)")


def splits(args, rows, label, group_by):
    """Yields (group, train_rows, score_rows, score_dataset_rows): per group, the training
    rows and the rows to score on, for the validation scheme or per fold for CV. The scored
    rows are indices into the scoring data (validation rows, or training rows for CV)."""
    train_groups = groups_of(rows, group_by)
    if args.validation:
        val = read_rows(args.validation)
        val_groups = groups_of(val, group_by)
        for g, tr in train_groups.items():
            yield g, tr, val_groups.get(g, []), val
    else:
        fold = fold_assignment(args, rows, label)
        k = max(fold) + 1
        for g, idx in train_groups.items():
            for f in range(k):
                tr = [i for i in idx if fold[i] != f]
                te = [i for i in idx if fold[i] == f]
                yield g, tr, te, rows


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)


def write_choice(path, results, seconds):
    """Writes the best of `results` (one dict with a "score" per setting, in grid order) with
    the top 10 of the ranking to `path`, and prints it without the ranking. The first best in
    grid order wins ties, as in `stance tune`."""
    ranking = sorted(enumerate(results), key=lambda r: (-r[1]["score"], r[0]))
    chosen = dict(ranking[0][1])
    chosen["tuning_seconds"] = seconds
    chosen["settings_tried"] = len(results)
    chosen["ranking"] = [r for _, r in ranking[:10]]
    dump(path, chosen)
    print(json.dumps({k: v for k, v in chosen.items() if k != "ranking"}))
