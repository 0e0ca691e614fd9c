"""Cohen's kappa between the labels in ../paragraphs.csv and the independent second pass.

    python3 training-data/checks/agreement.py

Standard library only. The second pass (second-pass.csv) was made by another annotator who saw
only the label definitions and the texts of a random 10 % sample, not the first labels.
"""
import collections
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def kappa(a, b):
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = collections.Counter(a), collections.Counter(b)
    expected = sum(ca[l] * cb[l] for l in set(a) | set(b)) / (n * n)
    return observed, (observed - expected) / (1 - expected)


def main():
    with open(os.path.join(HERE, "..", "paragraphs.csv"), newline="", encoding="utf-8") as f:
        first = {r["id"]: r for r in csv.DictReader(f)}
    with open(os.path.join(HERE, "second-pass.csv"), newline="", encoding="utf-8") as f:
        second = list(csv.DictReader(f))
    print(f"{len(second)} paragraphs labelled twice")
    for task in ("stance", "sentiment"):
        a = [first[r["id"]][task] for r in second]
        b = [r[task] for r in second]
        observed, k = kappa(a, b)
        print(f"{task}: agreement {observed:.3f}, Cohen's kappa {k:.3f}")


if __name__ == "__main__":
    main()
