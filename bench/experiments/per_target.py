"""What the experiments share: TweetEval stance's train and validation rows, and per target
the bench's scikit-learn features of both (one vectorizer per target, fitted on its train
rows)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import numpy as np  # noqa: E402

from common import groups_of, read_rows  # noqa: E402
from sk import vectorizer  # noqa: E402

# The default of every experiment's --shared: the folder beside the repository.
SHARED = os.path.join(HERE, "..", "..", "..", "shared")


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
