"""The scikit-learn peer's model: TF-IDF (word n-grams, optionally char_wb n-grams in a
FeatureUnion) + multinomial LogisticRegression (lbfgs)."""
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import Normalizer

from common import TOKEN_PATTERN


def vectorizer(ngrams, chars, sublinear, min_df, norm="parts"):
    """Word n-grams over stance's tokens (lowercase, accents stripped, `\\w+|[^\\w\\s]+`);
    with `chars`, a second TF-IDF block of char_wb n-grams beside it, each block L2-normed
    (`norm="parts"`) or the joined row L2-normed once (`norm="row"`), as stance's `--norm`."""
    block = "l2" if norm == "parts" or not chars else None
    word = TfidfVectorizer(lowercase=True, strip_accents="unicode", token_pattern=TOKEN_PATTERN,
                           ngram_range=tuple(ngrams), min_df=min_df, sublinear_tf=sublinear,
                           norm=block, dtype=np.float64)
    if not chars:
        return word
    char = TfidfVectorizer(lowercase=True, strip_accents="unicode", analyzer="char_wb",
                           ngram_range=tuple(chars), min_df=min_df, sublinear_tf=sublinear,
                           norm=block, dtype=np.float64)
    union = FeatureUnion([("words", word), ("chars", char)])
    if norm == "parts":
        return union
    return Pipeline([("union", union), ("norm", Normalizer())])


def classifier(c, class_weight, max_iter=1000, tol=1e-4, warm_start=False):
    # lbfgs on 3 classes is multinomial (the only behaviour in scikit-learn >= 1.7).
    return LogisticRegression(solver="lbfgs", C=c, class_weight=class_weight, max_iter=max_iter,
                              tol=tol, warm_start=warm_start)


def pipeline(opts):
    return Pipeline([
        ("tfidf", vectorizer(opts["ngrams"], opts["chars"], opts["sublinear"], opts["min_df"],
                             opts.get("norm", "parts"))),
        ("lr", classifier(opts["C"], opts["class_weight"])),
    ])
