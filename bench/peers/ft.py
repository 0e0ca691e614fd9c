"""The fastText peer's data handling: stance's tokenisation, joined by spaces."""
import os

from common import tokens


def line(text):
    # fastText splits on whitespace and treats newlines as end of example.
    return " ".join(tokens(text))


def write_supervised(path, texts, labels):
    with open(path, "w", encoding="utf-8") as f:
        for t, l in zip(texts, labels):
            f.write(f"__label__{l} {line(t)}\n")


def params(opts, threads, seed=0):
    """train_supervised keyword arguments for the chosen options."""
    return dict(lr=opts["lr"], epoch=opts["epoch"], wordNgrams=opts["wordNgrams"], dim=opts["dim"],
                bucket=opts.get("bucket", 200000), minCount=1, loss="softmax", thread=threads,
                seed=seed, verbose=0)


def predict_labels(model, texts):
    labels, _ = model.predict([line(t) for t in texts], k=1)
    return [l[0][len("__label__"):] for l in labels]


def tmpfile(dirname, name):
    os.makedirs(dirname, exist_ok=True)
    return os.path.join(dirname, name)
