"""The plain hinge loss (an L1-loss SVM) against the squared hinge, per TweetEval stance target,
with scikit-learn's LinearSVC on the bench's scikit-learn features, scored on validation.csv
only (F_avg of the five targets' predictions concatenated). A lever toward issue 4 measured
before building it; the README's benchmark section reports the figures.

    bench/.venv/bin/python bench/experiments/linear_svc_hinge.py [--intercept-scaling 1] [--norm row]

LinearSVC penalises its intercept; a larger --intercept-scaling weakens that penalty. For each
setting and loss, prints the best validation F_avg over C and class weight.
"""

from sklearn.svm import LinearSVC

import per_target  # before `common`: it puts bench/peers on the path
from common import task_metric

# (word n-grams, char n-grams, sublinear tf, min_df)
SETTINGS = [
    ((1, 3), (2, 5), True, 1),
    ((1, 2), (2, 5), False, 2),
    ((1, 3), (2, 5), False, 1),
]
C_VALUES = [0.1, 0.3, 1, 3, 10, 30, 100]


def extra(ap):
    ap.add_argument("--intercept-scaling", type=float, default=1.0)
    ap.add_argument("--norm", choices=["row", "parts"], default="row")


def main():
    args, train, validation = per_target.start(__doc__, extra)
    for setting in SETTINGS:
        parts = per_target.features(train, validation, (*setting, args.norm))
        for loss in ["squared_hinge", "hinge"]:
            best = (0.0,)
            for class_weight in [None, "balanced"]:
                for c_value in C_VALUES:
                    truth, pred = [], []
                    for x, y, xv, yv in parts:
                        model = LinearSVC(loss=loss, C=c_value, class_weight=class_weight,
                                          max_iter=50000,
                                          intercept_scaling=args.intercept_scaling)
                        pred += list(model.fit(x, y).predict(xv))
                        truth += yv
                    score = 100 * task_metric(truth, pred)
                    if score > best[0]:
                        best = (score, c_value, class_weight)
            print(f"{setting} {loss}: validation F_avg {best[0]:.2f} "
                  f"(C={best[1]}, class_weight={best[2]})", flush=True)


if __name__ == "__main__":
    main()
