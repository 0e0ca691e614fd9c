"""Naive-Bayes log-count-ratio scaling (NB-LR; Wang and Manning 2012) against plain logistic
regression, per TweetEval stance target, scored on validation.csv only (F_avg of the five
targets' predictions concatenated). A lever toward issue 4 measured before building it; the
README's benchmark section reports the figures.

    bench/.venv/bin/python bench/experiments/nb_lr.py [--shared ../shared]

For each setting and each (C, class weight): plain multinomial logistic regression on the
bench's scikit-learn features, and NB-LR: for each class c, the presence of every feature is
summed over the rows of c and over the rest (plus 1), r_c = log of the ratio of the two
normalised sums, and a binary logistic model is fitted on the features scaled by r_c; the class
with the largest decision value wins. Prints the best validation F_avg of each.
"""

import numpy as np
import scipy.sparse as sp

import per_target  # before `common`: it puts bench/peers on the path
from common import task_metric


def log_count_ratio(x, y, c):
    present = x.copy()
    present.data[:] = 1.0
    pos = np.asarray(present[y == c].sum(0)).ravel() + 1.0
    neg = np.asarray(present[y != c].sum(0)).ravel() + 1.0
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


def nb_lr_predict(x, y, xv, c_value, class_weight):
    classes = sorted(set(y))
    scores = []
    for c in classes:
        scale = sp.diags(log_count_ratio(x, y, c))
        model = per_target.logistic(c_value, class_weight)
        model.fit(x @ scale, (y == c).astype(int))
        scores.append(model.decision_function(xv @ scale))
    return [classes[i] for i in np.argmax(np.vstack(scores), 0)]


def main():
    _, train, validation = per_target.start(__doc__)
    for setting in per_target.SETTINGS:
        parts = per_target.features(train, validation, setting)
        best = {"logistic": (0.0,), "nb-lr": (0.0,)}
        for class_weight in per_target.CLASS_WEIGHTS:
            for c_value in per_target.C_VALUES:
                truth, plain, nb = [], [], []
                for x, y, xv, yv in parts:
                    model = per_target.logistic(c_value, class_weight)
                    plain += list(model.fit(x, y).predict(xv))
                    nb += nb_lr_predict(x, y, xv, c_value, class_weight)
                    truth += yv
                for name, pred in [("logistic", plain), ("nb-lr", nb)]:
                    score = 100 * task_metric(truth, pred)
                    if score > best[name][0]:
                        best[name] = (score, c_value, class_weight)
        for name, (score, c_value, class_weight) in best.items():
            print(f"{setting} {name}: validation F_avg {score:.2f} "
                  f"(C={c_value}, class_weight={class_weight})", flush=True)


if __name__ == "__main__":
    main()
