"""What the experiments share: TweetEval stance's train and validation rows, and per target
the bench's scikit-learn features of both (one vectorizer per target, fitted on its train
rows)."""
import argparse
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from common import groups_of, read_rows, task_metric  # noqa: E402
from sk import vectorizer  # noqa: E402

# The default of every experiment's --shared: the folder beside the repository.
SHARED = os.path.join(HERE, "..", "..", "..", "shared")

# Feature settings the logistic experiments compare on, as `features` takes them: (word
# n-grams, char n-grams, sublinear tf, min_df, norm).
SETTINGS = [
    ((1, 1), (2, 5), False, 2, "row"),
    ((1, 3), (2, 5), True, 1, "row"),
    ((1, 2), (2, 5), False, 2, "parts"),
    ((1, 3), None, True, 1, "parts"),
]
C_VALUES = [0.1, 0.3, 1, 3, 10, 30, 100, 300]
CLASS_WEIGHTS = [None, "balanced"]


def start(doc, extra=None):
    """The experiment's arguments (`--shared`, and those `extra(parser)` adds; the
    description is the first paragraph of `doc`) and TweetEval stance's train and validation
    rows. Warnings (scikit-learn's convergence warnings at large C) are silenced so that the
    figures stay readable."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--shared", default=SHARED)
    if extra:
        extra(ap)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    return (args, *load(args.shared))


def load(shared):
    """TweetEval stance's train and validation rows (test is never read here)."""
    folder = os.path.join(shared, "benchmarks", "tweeteval", "stance")
    return (read_rows(os.path.join(folder, "train.csv")),
            read_rows(os.path.join(folder, "validation.csv")))


def features(train, validation, vectorizer_args):
    """Per target, in sorted order: (train features as CSR, train labels as an array,
    validation features as CSR, validation labels as a list), the features made by
    `sk.vectorizer(*vectorizer_args)`."""
    validation_groups = groups_of(validation, "target")
    parts = []
    for target, rows in groups_of(train, "target").items():
        a = [train[i] for i in rows]
        b = [validation[i] for i in validation_groups.get(target, [])]
        v = vectorizer(*vectorizer_args)
        x = v.fit_transform([r["text"] for r in a]).tocsr()
        xv = v.transform([r["text"] for r in b]).tocsr()
        parts.append((x, np.array([r["stance"] for r in a]), xv, [r["stance"] for r in b]))
    return parts


def logistic(c_value, class_weight):
    return LogisticRegression(C=c_value, class_weight=class_weight, max_iter=2000)


def predictions(parts, c_value, class_weight):
    """Validation truth and plain logistic regression's predictions on `features`' parts,
    the targets' rows concatenated in the parts' order, as two lists."""
    truth, pred = [], []
    for x, y, xv, yv in parts:
        pred += list(logistic(c_value, class_weight).fit(x, y).predict(xv))
        truth += yv
    return truth, pred


def best_logistic(parts):
    """The best validation F_avg (x 100) of plain logistic regression over C_VALUES and
    CLASS_WEIGHTS on `features`' parts, the five targets' predictions concatenated, as
    (score, C, class weight)."""
    best = (0.0, None, None)
    for class_weight in CLASS_WEIGHTS:
        for c_value in C_VALUES:
            score = 100 * task_metric(*predictions(parts, c_value, class_weight))
            if score > best[0]:
                best = (score, c_value, class_weight)
    return best
