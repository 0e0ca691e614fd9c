"""How much of a validation ranking is noise: bootstrap resamples of TweetEval stance's
validation.csv (294 rows) scored with two per-target logistic models. The README's benchmark
section cites the figures for why validation cannot tell apart settings a point or two apart.

    bench/.venv/bin/python bench/experiments/selection_noise.py [--resamples 2000] [--seed 0]

The two models are plain logistic regression (C = 10, balanced) on the first two of
per_target.SETTINGS, the best two of them on validation. Prints each model's validation F_avg,
how often they agree, the bootstrap spread of the first model's F_avg, and that of the
difference between the two on the same resamples (paired), with how often its sign flips.
"""
import numpy as np

import per_target  # before `common`: it puts bench/peers on the path
from common import task_metric


def predictions(train, validation, setting):
    parts = per_target.features(train, validation, setting)
    truth, pred = per_target.predictions(parts, 10, "balanced")
    return np.array(truth), np.array(pred)


def extra(ap):
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)


def main():
    args, train, validation = per_target.start(__doc__, extra)
    truth, first = predictions(train, validation, per_target.SETTINGS[0])
    _, second = predictions(train, validation, per_target.SETTINGS[1])

    def f_avg(pred, rows):
        return 100 * task_metric(list(truth[rows]), list(pred[rows]))

    every = np.arange(len(truth))
    print(f"{len(truth)} rows; F_avg {f_avg(first, every):.2f} and {f_avg(second, every):.2f}; "
          f"the two agree on {100 * (first == second).mean():.1f}% of rows")
    rng = np.random.default_rng(args.seed)
    alone, paired = [], []
    for _ in range(args.resamples):
        rows = rng.integers(0, len(truth), len(truth))
        a = f_avg(first, rows)
        alone.append(a)
        paired.append(a - f_avg(second, rows))
    alone, paired = np.array(alone), np.array(paired)
    low, high = np.percentile(alone, [5, 95])
    print(f"first model's F_avg: bootstrap sd {alone.std():.2f}, 90% interval {low:.2f}-{high:.2f}")
    print(f"first minus second: mean {paired.mean():.2f}, bootstrap sd {paired.std():.2f}, "
          f"below zero in {100 * (paired < 0).mean():.0f}% of resamples")


if __name__ == "__main__":
    main()
