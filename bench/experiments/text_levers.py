"""Four cheap levers against plain logistic regression, per TweetEval stance target, scored on
validation.csv only (F_avg of the five targets' predictions concatenated). Levers toward issue
4 measured before building any; the README's benchmark section reports the figures.

    bench/.venv/bin/python bench/experiments/text_levers.py [--shared ../shared]

- `negation`: every word after a negation (not, no, never, ...n't, ...) up to the next
  punctuation gets a `_neg` suffix (Pang et al. 2002; the NRC SemEval systems).
- `squeeze`: a character repeated three or more times is cut to two ("sooo" -> "soo").
- `chi2-20`, `chi2-50`: only the 20% or 50% of each target's features with the largest chi2
  against the labels are kept.
- `average`: the mean of the class probabilities of the settings' models, each at its own best
  C and class weight, for every combination of two or more settings.

Prints the best validation F_avg over C and class weight of each lever on each setting.
"""
import itertools
import re

import numpy as np
from sklearn.feature_selection import SelectPercentile, chi2

import per_target  # before `common`: it puts bench/peers on the path
from common import task_metric

NEGATION = re.compile(r"^(?:not|no|never|cannot|nothing|nobody|none|nor|neither|nowhere|\w+n't)$",
                      re.I)
CLAUSE_END = re.compile(r"^[.:;!?,]+$")
CLASSES = np.array(["against", "favor", "none"])


def negation(text):
    out, negated = [], False
    for token in re.findall(r"\w+(?:'\w+)?|[^\w\s]+", text):
        if CLAUSE_END.match(token):
            negated = False
        out.append(token + "_neg" if negated and re.match(r"^\w", token) else token)
        if NEGATION.match(token):
            negated = True
    return " ".join(out)


def squeeze(text):
    return re.sub(r"(.)\1{2,}", r"\1\1", text)


def rewritten(rows, rewrite):
    return [dict(r, text=rewrite(r["text"])) for r in rows]


def selected(parts, percentile):
    out = []
    for x, y, xv, yv in parts:
        keep = SelectPercentile(chi2, percentile=percentile).fit(x, y)
        out.append((keep.transform(x), y, keep.transform(xv), yv))
    return out


def probabilities(parts, c_value, class_weight):
    """Validation class probabilities (in CLASSES' order) of every target, stacked."""
    out = []
    for x, y, xv, _ in parts:
        model = per_target.logistic(c_value, class_weight).fit(x, y)
        assert list(model.classes_) == list(CLASSES)
        out.append(model.predict_proba(xv))
    return np.vstack(out)


def main():
    _, train, validation = per_target.start(__doc__)
    # Per setting, its best model's validation probabilities, for averaging at the end.
    probs = []
    for setting in per_target.SETTINGS:
        parts = per_target.features(train, validation, setting)
        score, c_value, class_weight = per_target.best_logistic(parts)
        print(f"{setting} logistic: {score:.2f} (C={c_value}, class_weight={class_weight})",
              flush=True)
        probs.append(probabilities(parts, c_value, class_weight))
        for name, rewrite in [("negation", negation), ("squeeze", squeeze)]:
            lever = per_target.features(rewritten(train, rewrite),
                                        rewritten(validation, rewrite), setting)
            print(f"{setting} {name}: {per_target.best_logistic(lever)[0]:.2f}", flush=True)
        for percentile in [20, 50]:
            lever = selected(parts, percentile)
            print(f"{setting} chi2-{percentile}: {per_target.best_logistic(lever)[0]:.2f}",
                  flush=True)
    truth = [label for part in parts for label in part[3]]  # every setting's rows alike
    for k in range(2, len(probs) + 1):
        for combo in itertools.combinations(range(len(probs)), k):
            mean = sum(probs[i] for i in combo) / k
            score = 100 * task_metric(truth, list(CLASSES[mean.argmax(1)]))
            print(f"average of settings {combo}: {score:.2f}", flush=True)


if __name__ == "__main__":
    main()
