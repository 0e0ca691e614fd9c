#!/usr/bin/env python3
"""Benchmark harness: `stance` against scikit-learn and fastText on public data.

    bench/setup.sh                      # once: bench/.venv with the pinned peers
    bench/.venv/bin/python bench/run.py [--runs 3] [--shared PATH] [--quick]

On the same files and the same cores, for TweetEval stance per target (TweetEval protocol),
TweetEval stance pooled, and NewsMTSC (train.csv -> validation.csv), every tool is tuned on
the same validation data (NewsMTSC: 5-fold CV on train, on stance's own folds), then trained
with the chosen options and asked to predict the test file, `--runs` times. Recorded: quality,
training time (vectorise + fit, timed inside the process), prediction throughput (whole
process, start-up included), peak RSS of every process (wait4), medians over the runs, and
the ratios stance / peer. Also the tokenizer's speed and the growth of `stance predict` and
`stance train` with the input. Writes BENCHMARKS.md and bench/results.json (with --quick:
bench/quick/BENCHMARKS.md and bench/quick/results.json, so a smoke test overwrites nothing).

This is a script people run, not a test; CI does not run it.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
PEERS = os.path.join(BENCH, "peers")
sys.path.insert(0, PEERS)
from common import read_rows, report, write_rows  # noqa: E402

# The search space of `stance tune`'s defaults, given to every tool; C extended to 300 and
# 1000 (for every tool) because the defaults' top value, 100, is often chosen. stance also
# tries characters inside white-space-separated words (`char_source` "words"), which is what
# the scikit-learn peer's char_wb always does; scikit-learn has no counterpart of "tokens".
FULL_GRID = {
    "ngrams": ["1-1", "1-2", "1-3"],
    "chars": ["off", "2-5"],
    "char_source": ["tokens", "words"],
    "norm": ["row", "parts"],
    "sublinear": ["off", "on"],
    "min_df": [1, 2],
    "c": [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000],
    "class_weight": ["none", "balanced"],
    # stance only: its two losses (the scikit-learn peer is LogisticRegression by definition).
    "loss": ["logistic", "squared-hinge"],
    # stance only, with a group column: separate models per group, or one fit with weights
    # shared by every group plus each group's own (`--group-weights shared`).
    "group_weights": ["separate", "shared"],
    # stance only, on tweets: hashtags kept, or followed by their words (`--hashtags split`).
    # News paragraphs have next to no hashtags, so NewsMTSC is not searched over it.
    "hashtags": ["keep", "split"],
}
QUICK_GRID = {
    "ngrams": ["1-1", "1-2"],
    "chars": ["off", "2-5"],
    "char_source": ["tokens", "words"],
    "norm": ["row", "parts"],
    "sublinear": ["on"],
    "min_df": [1],
    "c": [1, 10],
    "class_weight": ["none", "balanced"],
    "loss": ["logistic", "squared-hinge"],
    "group_weights": ["separate", "shared"],
    "hashtags": ["keep", "split"],
}
# fastText: softmax, minCount 1, bucket 200k (its 2M default makes 0.8 GB models of a few
# thousand tweets), over this grid.
FULL_FT_GRID = {"lr": [0.1, 0.5, 1.0], "epoch": [5, 25, 50], "wordNgrams": [1, 2, 3],
                "dim": [50, 100], "bucket": 200000}
QUICK_FT_GRID = {"lr": [0.5], "epoch": [5, 25], "wordNgrams": [1, 2], "dim": [50],
                 "bucket": 200000}

THRESHOLDS = {
    "te_per_target_f_avg": 0.690,
    "train_time_vs_sklearn": 0.5,
    "throughput_vs_sklearn": 5.0,
    "rss_vs_sklearn": 1.0,
    "train_time_vs_fasttext": 1.0,
    "growth_exponent": 1.10,
}

TOOLS = ["stance", "sklearn", "fasttext"]
TOOL_NAMES = {"stance": "stance", "sklearn": "scikit-learn", "fasttext": "fastText"}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ------------------------------------------------------------------------------ processes

class Runner:
    """Runs child processes on the chosen cores with the thread limits, measuring the wall
    time and the peak RSS (ru_maxrss of wait4) of each, and keeps the commands."""

    def __init__(self, cpus, threads, subst, logdir=None):
        self.cpus = cpus
        self.logdir = logdir
        self.count = 0
        self.env = dict(os.environ)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "RAYON_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
            self.env[var] = str(threads)
        self.env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.subst = subst  # [(path, placeholder)] for showing commands
        self.commands = {}  # section -> [display commands]

    def show(self, cmd, stdout_to=None):
        s = " ".join(shlex.quote(str(c)) for c in cmd)
        if stdout_to:
            s += f" > {stdout_to}"
        for path, name in self.subst:
            s = s.replace(path, name)
        return s

    def note(self, section, cmd, stdout_to=None):
        shown = self.show(cmd, stdout_to)
        lst = self.commands.setdefault(section, [])
        if shown not in lst:
            lst.append(shown)

    def _affinity(self):
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)

    def run(self, cmd, section=None, stdout=None, count_lines=False, check=True):
        """stdout: a path, or None to capture. count_lines: pipe stdout into a line count
        (for predictions too large to keep). Returns wall, maxrss_kb, rc, out, err."""
        cmd = [str(c) for c in cmd]
        if section:
            self.note(section, cmd, "/dev/null (lines counted)" if count_lines else
                      (stdout if stdout else None))
        self.count += 1
        if self.logdir:
            os.makedirs(self.logdir, exist_ok=True)
            err_f = open(os.path.join(self.logdir, f"{self.count:04d}-{section or 'run'}.err"), "w+b")
        else:
            err_f = tempfile.TemporaryFile()
        out_f = open(stdout, "wb") if stdout else (None if count_lines else tempfile.TemporaryFile())
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if count_lines else out_f,
                                stderr=err_f, env=self.env, preexec_fn=self._affinity)
        lines = 0
        if count_lines:
            while True:
                chunk = proc.stdout.read(1 << 20)
                if not chunk:
                    break
                lines += chunk.count(b"\n")
            proc.stdout.close()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_f.seek(0)
        err = err_f.read().decode("utf-8", "replace")
        err_f.close()
        out = ""
        if out_f is not None:
            if not stdout:
                out_f.seek(0)
                out = out_f.read().decode("utf-8", "replace")
            out_f.close()
        if check and proc.returncode != 0:
            raise RuntimeError(f"command failed ({proc.returncode}): {self.show(cmd)}\n{err[-3000:]}")
        return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
                "rc": proc.returncode, "out": out,
                "err": err, "lines": lines}


# ------------------------------------------------------------------------------ machine

def machine_info():
    info = {"cpu": None, "logical_cpus": os.cpu_count(), "mem_total_gib": None, "os": None,
            "kernel": platform.release(), "python": platform.python_version()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["mem_total_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return info


def loadavg():
    try:
        return [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    except OSError:
        return None


def capture(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


# ------------------------------------------------------------------------------ data

def subset(rows, every):
    return [r for i, r in enumerate(rows) if i % every == 0]


def prepare_data(args, work):
    """The data sets as dicts of paths and protocol; with --quick, subsets of the training
    files; with --refit-all, train+validation files for the final training."""
    sh = os.path.join(args.shared, "benchmarks")
    te = os.path.join(sh, "tweeteval", "stance")
    nm = os.path.join(sh, "newsmtsc")
    for f in [os.path.join(te, x) for x in ("train.csv", "validation.csv", "test.csv")] + \
             [os.path.join(nm, x) for x in ("train.csv", "validation.csv")]:
        if not os.path.exists(f):
            sys.exit(f"missing {f}: pass --shared PATH (the folder holding benchmarks/)")
    d = os.path.join(work, "data")
    os.makedirs(d, exist_ok=True)
    te_train, nm_train = os.path.join(te, "train.csv"), os.path.join(nm, "train.csv")
    if args.quick:
        rows = read_rows(te_train)
        te_train = os.path.join(d, "tweeteval-stance-train-quarter.csv")
        write_rows(te_train, subset(rows, 4), ["id", "target", "text", "stance"])
        rows = read_rows(nm_train)
        nm_train = os.path.join(d, "newsmtsc-train-eighth.csv")
        write_rows(nm_train, subset(rows, 8), ["id", "text", "sentiment"])
    te_val = os.path.join(te, "validation.csv")
    te_final = te_train
    if args.refit_all:
        te_final = os.path.join(d, "tweeteval-stance-train+validation.csv")
        write_rows(te_final, read_rows(te_train) + read_rows(te_val), ["id", "target", "text", "stance"])
    common_te = dict(tweets=True, label="stance", train=te_train, validation=te_val, cv=None, final_train=te_final,
                     test=os.path.join(te, "test.csv"), test_name="test.csv", metric="f_avg")
    return [
        dict(key="te_per_target", title="TweetEval stance, one model per target (TweetEval protocol)",
             group_by="target", **common_te),
        dict(key="te_pooled", title="TweetEval stance, one pooled model", group_by=None, **common_te),
        dict(key="newsmtsc", title="NewsMTSC (train.csv → validation.csv)", tweets=False, label="sentiment",
             group_by=None, train=nm_train, validation=None, cv=5, final_train=nm_train,
             test=os.path.join(nm, "validation.csv"), test_name="validation.csv", metric="macro_f1"),
    ]


# ------------------------------------------------------------------------------ tools

def stance_loss(task):
    """A chosen task's loss as the command line spells it (model files write `squared_hinge`
    and leave out `logistic`)."""
    return task.get("loss", "logistic").replace("_", "-")


def stance_train_args(chosen, vectors=None):
    """`stance train` options that fit the tuned setting `chosen` again (`vectors`: the word
    vectors file tune was given)."""
    t = chosen["tfidf"]
    a = t["analyzer"]
    out = ["--ngrams", f"{a['word_ngrams'][0]}-{a['word_ngrams'][1]}"]
    if t.get("vectors"):
        v = t["vectors"]
        out += ["--vectors", vectors, "--vector-weight", f"{v['weight']:g}", "--vector-words", str(v["words"])]
    if a.get("char_ngrams"):
        out += ["--char-ngrams", f"{a['char_ngrams'][0]}-{a['char_ngrams'][1]}"]
        out += ["--char-source", a.get("char_source", "tokens")]
        out += ["--norm", "parts" if t.get("norm_per_part") else "row"]
    out += ["--hashtags", a.get("hashtags", "keep")]
    md = t["min_df"]
    out += ["--min-df", str(md["count"]) if "count" in md else str(md["fraction"])]
    if t.get("sublinear_tf"):
        out.append("--sublinear-tf")
    task = chosen["tasks"][0]
    out += ["-C", f"{task['c']:g}", "--class-weight", task["class_weight"], "--loss", stance_loss(task)]
    # Along the C path the chosen fit was scored on: the final model is the validated one.
    if task.get("c_path"):
        out += ["--c-path", ",".join(f"{c:g}" for c in task["c_path"])]
    if chosen.get("group_weights") == "shared":
        out += ["--group-weights", "shared"]
    return out


def with_c(args, c):
    """`args` with the value of -C replaced by `c`."""
    out = list(args)
    out[out.index("-C") + 1] = f"{c:g}"
    return out


def without_c_path(args):
    out = list(args)
    if "--c-path" in out:
        i = out.index("--c-path")
        del out[i:i + 2]
    return out


def options_summary(tool, chosen):
    """One line describing the chosen options, the same way for every tool."""
    if tool == "stance":
        t = chosen["tfidf"]
        a = t["analyzer"]
        md = t["min_df"]
        task = chosen["tasks"][0]
        chars = f"{a['char_ngrams'][0]}-{a['char_ngrams'][1]}" if a.get("char_ngrams") else "off"
        if a.get("char_ngrams"):
            words = " in words" if a.get("char_source") == "words" else ""
            chars += f"{words} (norm {'parts' if t.get('norm_per_part') else 'row'})"
        return (f"words {a['word_ngrams'][0]}-{a['word_ngrams'][1]}, chars {chars}, "
                f"sublinear {'on' if t.get('sublinear_tf') else 'off'}, "
                f"min_df {md.get('count', md.get('fraction'))}, C={task['c']:g}, "
                f"class_weight {task['class_weight']}, loss {stance_loss(task)}"
                + (", shared group weights" if chosen.get("group_weights") == "shared" else "")
                + (", hashtags split" if a.get("hashtags") == "split" else "")
                + (", word vectors" if t.get("vectors") else ""))
    if tool == "sklearn":
        chars = f"{chosen['chars'][0]}-{chosen['chars'][1]}" if chosen["chars"] else "off"
        if chosen["chars"]:
            chars += f" (char_wb, norm {chosen.get('norm', 'parts')})"
        return (f"words {chosen['ngrams'][0]}-{chosen['ngrams'][1]}, chars {chars}, "
                f"sublinear {'on' if chosen['sublinear'] else 'off'}, min_df {chosen['min_df']}, "
                f"C={chosen['C']:g}, class_weight {chosen['class_weight'] or 'none'}")
    return (f"lr {chosen['lr']}, epoch {chosen['epoch']}, wordNgrams {chosen['wordNgrams']}, "
            f"dim {chosen['dim']}, bucket {chosen['bucket']}")


def peer_grid(grid):
    def rng(s):
        return [int(x) for x in s.split("-")]
    return {
        "ngrams": [rng(x) for x in grid["ngrams"]],
        "chars": [None if x == "off" else rng(x) for x in grid["chars"]],
        "norm": grid["norm"],
        "sublinear": [x == "on" for x in grid["sublinear"]],
        "min_df": grid["min_df"],
        "c": grid["c"],
        "class_weight": [None if x == "none" else x for x in grid["class_weight"]],
    }


def predictions(path, label):
    out = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                out[o["id"]] = o[label]["label"]
    return out


def quality(ds, pred_path):
    rows = read_rows(ds["test"])
    pred = predictions(pred_path, ds["label"])
    missing = [r["id"] for r in rows if r["id"] not in pred]
    if missing:
        raise RuntimeError(f"{pred_path}: no prediction for {len(missing)} rows, e.g. {missing[:3]}")
    r = report([x[ds["label"]] for x in rows], [pred[x["id"]] for x in rows])
    r.pop("per_class")
    return r


class Bench:
    def __init__(self, args, runner, work, stance_bin, py, folds_bin):
        self.args, self.runner, self.work = args, runner, work
        self.stance, self.py, self.folds_bin = stance_bin, py, folds_bin
        self.grid = QUICK_GRID if args.quick else FULL_GRID
        if args.c_values:
            self.grid = dict(self.grid, c=[float(x) for x in args.c_values.split(",")])
        # stance only, with --vectors: without and with pretrained word vectors (its tune then
        # searches both). Off by default: the peers get no pretrained vectors, so the default
        # run compares the three tools on the same information (the benchmark files alone).
        self.vectors = os.path.abspath(args.vectors) if args.vectors else None
        if self.vectors:
            self.grid = dict(self.grid, vectors=["off", "on"])
        self.ft_grid = QUICK_FT_GRID if args.quick else FULL_FT_GRID
        self.models = os.path.join(work, "models")
        self.preds = os.path.join(work, "preds")
        os.makedirs(self.models, exist_ok=True)
        os.makedirs(self.preds, exist_ok=True)

    def peer(self, script):
        return [self.py, os.path.join(PEERS, script)]

    def scheme_args(self, ds, folds):
        if ds["validation"]:
            return ["--validation", ds["validation"]]
        if folds:
            return ["--folds", folds]
        return ["--cv", str(ds["cv"]), "--seed", "42"]

    def folds_file(self, ds):
        """stance's CV folds of the training file, so that the peers use the same ones."""
        if ds["validation"] or not self.folds_bin:
            return None
        path = os.path.join(self.work, "data", f"{ds['key']}-folds.csv")
        r = self.runner.run([self.folds_bin, ds["train"], ds["label"], ds["cv"], 42],
                            section="folds", stdout=path, check=False)
        if r["rc"] != 0:
            log(f"folds example failed, peers use their own stratified folds: {r['err'][-300:]}")
            return None
        return path

    # -- tuning

    def tune(self, tool, ds, folds):
        k, g = ds["key"], ds["group_by"]
        sec = f"tune-{tool}"
        if tool == "stance":
            out = os.path.join(self.models, f"stance-{k}-tuned.json")
            cmd = [self.stance, "tune", "--data", ds["train"]]
            cmd += ["--validation", ds["validation"]] if ds["validation"] else ["--cv", ds["cv"]]
            cmd += ["--out", out, "--label", ds["label"]]
            if g:
                cmd += ["--group-by", g,
                        "--group-weights-values", ",".join(self.grid["group_weights"])]
            cmd += ["--c-values", ",".join(f"{c:g}" for c in self.grid["c"]),
                    "--ngram-values", ",".join(self.grid["ngrams"]),
                    "--char-ngram-values", ",".join(self.grid["chars"]),
                    "--char-source-values", ",".join(self.grid["char_source"]),
                    "--norm-values", ",".join(self.grid["norm"]),
                    "--sublinear-values", ",".join(self.grid["sublinear"]),
                    "--min-df-values", ",".join(str(x) for x in self.grid["min_df"]),
                    "--class-weights", ",".join(self.grid["class_weight"]),
                    "--losses", ",".join(self.grid["loss"])]
            if ds["tweets"]:
                cmd += ["--hashtags-values", ",".join(self.grid["hashtags"])]
            if self.vectors:
                cmd += ["--vectors", self.vectors, "--vector-values", ",".join(self.grid["vectors"])]
            if ds["final_train"] != ds["train"]:
                cmd.append("--refit-all")
            r = self.runner.run(cmd, section=sec)
            with open(out) as f:
                sel = json.load(f)["metadata"]["options"]["selection"]
            chosen = sel["chosen"]
            first = chosen[0]
            same = all(options_summary("stance", c) == options_summary("stance", first) for c in chosen)
            ev = self.runner.run([self.stance, "evaluate", "--model", out, "--data", ds["test"],
                                  "--format", "json"], section="evaluate-stance")
            tuned_test = json.loads(ev["out"])["tasks"][ds["label"]]
            return {"chosen": first, "summary": options_summary("stance", first),
                    "validation_score": first["score"], "same_for_all_groups": same,
                    "selection_method": sel.get("method"), "settings_tried": sel.get("settings_tried"),
                    "tuning_wall": r["wall"], "tuning_rss_kb": r["maxrss_kb"],
                    "tuned_model_test": {m: tuned_test.get(m) for m in
                                         ("accuracy", "macro_f1", "macro_recall", "f_avg")},
                    "train_args": stance_train_args(first, self.vectors)}
        script, grid = (("sklearn_tune.py", peer_grid(self.grid)) if tool == "sklearn"
                        else ("fasttext_tune.py", self.ft_grid))
        ext = "options.json"
        out = os.path.join(self.models, f"{tool}-{k}-{ext}")
        cmd = self.peer(script) + ["--train", ds["train"]] + self.scheme_args(ds, folds)
        cmd += ["--label", ds["label"]] + (["--group-by", g] if g else [])
        cmd += ["--grid", json.dumps(grid, separators=(",", ":")), "--out", out]
        cmd += ["--n-jobs", "2"] if tool == "sklearn" else ["--threads", str(self.args.threads)]
        r = self.runner.run(cmd, section=sec)
        with open(out) as f:
            chosen = json.load(f)
        return {"chosen": {k2: v for k2, v in chosen.items() if k2 != "ranking"},
                "options_file": out, "summary": options_summary(tool, chosen),
                "validation_score": chosen["score"], "settings_tried": chosen["settings_tried"],
                "tuning_wall": r["wall"], "tuning_rss_kb": r["maxrss_kb"]}

    # -- one timed training + prediction

    def train(self, tool, ds, tuned, run):
        k, g = ds["key"], ds["group_by"]
        sec = f"train-{tool}"
        if tool == "stance":
            model = os.path.join(self.models, f"stance-{k}-{run}.json")
            cmd = [self.stance, "train", "--data", ds["final_train"], "--out", model,
                   "--label", ds["label"]] + (["--group-by", g] if g else []) + tuned["train_args"]
            r = self.runner.run(cmd, section=sec)
            m = re.search(r"trained on (\d+) rows in ([0-9.]+) s", r["err"])
            if not m:
                raise RuntimeError(f"no training time in stance's stderr:\n{r['err']}")
            secs = float(m.group(2))
            line = m.group(0)
        else:
            model = os.path.join(self.models, f"{tool}-{k}-{run}" + (".joblib" if tool == "sklearn" else ""))
            script = "sklearn_train.py" if tool == "sklearn" else "fasttext_train.py"
            cmd = self.peer(script) + ["--train", ds["final_train"], "--label", ds["label"]]
            cmd += (["--group-by", g] if g else []) + ["--options", tuned["options_file"], "--out", model]
            if tool == "sklearn":
                # Along the warm-started C path its tuning scored, as stance does.
                path = [c for c in sorted(self.grid["c"]) if c < tuned["chosen"]["C"]]
                if path:
                    cmd += ["--c-path", ",".join(f"{c:g}" for c in path)]
            if tool == "fasttext":
                cmd += ["--threads", str(self.args.threads), "--seed", str(run)]
            r = self.runner.run(cmd, section=sec)
            res = json.loads(r["out"].strip().splitlines()[-1])
            secs = res["train_seconds"]
            line = None
        return model, {"train_seconds": secs, "train_wall": r["wall"], "train_cpu": r["cpu"],
                       "train_rss_kb": r["maxrss_kb"],
                       "stderr_line": line}

    def predict(self, tool, ds, model, run):
        sec = f"predict-{tool}"
        out = os.path.join(self.preds, f"{tool}-{ds['key']}-{run}.jsonl")
        if tool == "stance":
            r = self.runner.run([self.stance, "predict", "--model", model, "--data", ds["test"],
                                 "--format", "jsonl"], section=sec, stdout=out)
        else:
            script = "sklearn_predict.py" if tool == "sklearn" else "fasttext_predict.py"
            r = self.runner.run(self.peer(script) + ["--model", model, "--data", ds["test"], "--out", out],
                                section=sec)
        n = len(read_rows(ds["test"]))
        q = quality(ds, out)
        return {"predict_wall": r["wall"], "predict_cpu": r["cpu"], "predict_rss_kb": r["maxrss_kb"], "rows": n,
                "throughput": n / r["wall"], "quality": q}

    def dataset(self, ds):
        log(f"== {ds['title']}")
        folds = self.folds_file(ds)
        res = {"title": ds["title"], "label": ds["label"], "group_by": ds["group_by"],
               "train": ds["train"], "final_train": ds["final_train"], "test": ds["test"],
               "validation": ds["validation"], "cv": ds["cv"], "metric": ds["metric"],
               "folds": "stance's folds (examples/folds.rs)" if folds else
               ("own stratified folds (seed 42)" if ds["cv"] else None),
               "tools": {}}
        for tool in TOOLS:
            t0 = time.perf_counter()
            log(f"   {tool}: tuning")
            tuned = self.tune(tool, ds, folds)
            log(f"   {tool}: chose {tuned['summary']} (validation {tuned['validation_score']:.4f}, "
                f"{tuned['tuning_wall']:.0f} s)")
            runs = []
            for run in range(self.args.runs):
                model, tr = self.train(tool, ds, tuned, run)
                pr = self.predict(tool, ds, model, run)
                runs.append({**tr, **pr})
                log(f"   {tool} run {run + 1}: train {tr['train_seconds']:.3f} s, "
                    f"predict {pr['predict_wall']:.3f} s, {ds['metric']} {pr['quality'][ds['metric']]:.4f}")
            if tool == "stance":
                ev = self.runner.run([self.stance, "evaluate", "--model", model, "--data", ds["test"],
                                      "--format", "json"], section="evaluate-stance")
                tuned["evaluate"] = json.loads(ev["out"])["tasks"][ds["label"]]
                tuned["final_model"] = model
            res["tools"][tool] = {"tuning": tuned, "runs": runs, "median": medians(runs),
                                  "seconds": time.perf_counter() - t0}
        return res


def medians(runs):
    out = {k: median([r[k] for r in runs]) for k in
           ("train_seconds", "train_wall", "train_rss_kb", "predict_wall", "predict_rss_kb", "throughput")}
    for m in ("accuracy", "macro_f1", "macro_recall", "f_avg"):
        out[m] = median([r["quality"][m] for r in runs])
        vals = [r["quality"][m] for r in runs if r["quality"][m] is not None]
        out[m + "_range"] = [min(vals), max(vals)] if vals else None
    return out


# ------------------------------------------------------------------------------ tokenizer, growth

def tokenizer_speed(runner, tok_bin, args):
    sh = os.path.join(args.shared, "benchmarks")
    groups = {
        "TweetEval (stance + sentiment CSVs)": sorted(
            os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(sh, "tweeteval")) for f in fs
            if f.endswith(".csv")),
        "NewsMTSC (train + validation)": sorted(
            os.path.join(sh, "newsmtsc", f) for f in os.listdir(os.path.join(sh, "newsmtsc"))
            if f.endswith(".csv")),
        "training-data/paragraphs.csv": [os.path.join(REPO, "training-data", "paragraphs.csv")],
    }
    groups = {k: [f for f in v if os.path.exists(f)] for k, v in groups.items()}
    groups = {k: v for k, v in groups.items() if v}
    everything = [f for v in groups.values() for f in v]
    todo = {"all of the above": everything} if args.quick else {**groups, "all of the above": everything}
    out = {}
    for name, files in todo.items():
        rs = []
        for _ in range(args.runs):
            r = runner.run([tok_bin] + files, section="tokenizer")
            rs.append(json.loads(r["out"].strip().splitlines()[-1]))
        out[name] = {"files": files, "runs": rs,
                     **{k: median([x[k] for x in rs]) for k in
                        ("bytes", "texts", "fast_mb_s", "reference_mb_s", "lowercase_split_mb_s")},
                     "tokens_match": all(x["tokens_fast"] == x["tokens_reference"] for x in rs)}
        log(f"   tokenizer on {name}: {out[name]['fast_mb_s']} MB/s")
    return out


def corpus_paragraphs(args):
    paras = []
    for name in ("bbc", "agnews"):
        path = os.path.join(args.shared, "corpora", name, "candidates.csv")
        if os.path.exists(path):
            paras += [r["text"].strip() for r in read_rows(path) if r["text"].strip()]
    if not paras:
        sys.exit("no corpus paragraphs under --shared/corpora/{bbc,agnews}/candidates.csv")
    return paras


def write_articles(folder, paras, target_bytes):
    """Articles of 20 paragraphs separated by blank lines, the corpora repeated until the
    folder holds about target_bytes. Returns (bytes, files)."""
    os.makedirs(folder, exist_ok=True)
    total = files = i = 0
    while total < target_bytes:
        text = "\n\n".join(paras[(i + k) % len(paras)] for k in range(20)) + "\n"
        i += 20
        data = text.encode("utf-8")
        sub = os.path.join(folder, f"{files // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{files:06d}.txt"), "wb") as f:
            f.write(data)
        total += len(data)
        files += 1
    return total, files


def exponent(x0, x1, y0, y1):
    if not (x0 and x1 and y0 and y1) or x0 == x1:
        return None
    return math.log(y1 / y0) / math.log(x1 / x0)


def growth_model(runner, bench, args, ds):
    """Without the NewsMTSC part in this run (`--only growth`): a NewsMTSC model trained with
    --growth-options, or the options chosen in bench/results.json, or fixed ones."""
    opts = args.growth_options
    source = "--growth-options"
    if not opts:
        try:
            with open(os.path.join(BENCH, "results.json")) as f:
                opts = " ".join(json.load(f)["datasets"]["newsmtsc"]["tools"]["stance"]["tuning"]["train_args"])
            source = "the NewsMTSC options of bench/results.json"
        except (OSError, KeyError, ValueError):
            opts = "--ngrams 1-2 --char-ngrams 2-5 --min-df 2 --sublinear-tf -C 10 --class-weight none"
            source = "fixed options"
    log(f"   growth model: {source}: {opts}")
    model = os.path.join(bench.models, "stance-growth-newsmtsc.json")
    train_args = opts.split()
    runner.run([bench.stance, "train", "--data", ds["train"], "--out", model, "--label", "sentiment"]
               + train_args, section="growth-model")
    return {"train": ds["train"],
            "tools": {"stance": {"tuning": {"final_model": model, "train_args": train_args}}}}


def growth(runner, bench, args, nm):
    g = os.path.join(bench.work, "growth")
    os.makedirs(g, exist_ok=True)
    model = nm["tools"]["stance"]["tuning"]["final_model"]
    sizes = [0.25, 1] if args.quick else [1, 10, 100]
    paras = corpus_paragraphs(args)
    pred = []
    for mb in sizes:
        folder = os.path.join(g, f"articles-{mb:g}MB")
        nbytes, files = write_articles(folder, paras, mb * 1e6)
        rs = []
        for _ in range(args.runs):
            r = runner.run([bench.stance, "predict", "--model", model, "--format", "jsonl", folder],
                           section="growth-predict", count_lines=True)
            rs.append({"wall": r["wall"], "cpu": r["cpu"], "rss_kb": r["maxrss_kb"], "paragraphs": r["lines"]})
        row = {"target_mb": mb, "bytes": nbytes, "files": files,
               "paragraphs": rs[0]["paragraphs"], "wall": median([x["wall"] for x in rs]),
               "rss_kb": median([x["rss_kb"] for x in rs]), "runs": rs}
        row["mb_s"] = nbytes / 1e6 / row["wall"]
        row["paragraphs_s"] = row["paragraphs"] / row["wall"]
        pred.append(row)
        log(f"   predict {nbytes / 1e6:.1f} MB: {row['wall']:.2f} s, {row['rss_kb'] / 1024:.0f} MiB")
        shutil.rmtree(folder)
    mults = [1, 2] if args.quick else [1, 4, 16]
    rows = read_rows(nm["train"])
    # One fit at the chosen C (no C path): growth is about one fit on more data. Each size is
    # trained twice: at the chosen C, and at C / k. k copies of the rows at C / k are the
    # original problem (the same objective per row, up to idf smoothing: see
    # `repeated_rows_at_c_over_k_are_the_same_problem` in src/model/objective.rs), so that
    # series measures how the work grows with the input alone; at a fixed C the penalty
    # weighs k times less against the loss, a harder problem that takes more solver steps.
    train_args = without_c_path(nm["tools"]["stance"]["tuning"]["train_args"])
    c = float(train_args[train_args.index("-C") + 1])
    tr, same = [], []
    for k in mults:
        path = os.path.join(g, f"newsmtsc-train-x{k}.csv")
        rep = [{"id": f"{r['id']}-r{j}", "text": r["text"], "sentiment": r["sentiment"]}
               for j in range(k) for r in rows]
        write_rows(path, rep, ["id", "text", "sentiment"])
        nbytes = os.path.getsize(path)
        for series, c_k in ((tr, c), (same, c / k)):
            if series is same and k == 1:
                same.append(dict(tr[-1]))  # at k = 1 both series are the same run
                continue
            rs = []
            for run in range(args.runs):
                out = os.path.join(g, f"model-x{k}.json")
                r = runner.run([bench.stance, "train", "--data", path, "--out", out, "--label", "sentiment"]
                               + with_c(train_args, c_k), section="growth-train")
                m = re.search(r"trained on (\d+) rows in ([0-9.]+) s", r["err"])
                it = re.search(r"(\d+) iterations", r["err"])
                rs.append({"train_seconds": float(m.group(2)) if m else None, "wall": r["wall"], "cpu": r["cpu"],
                           "rss_kb": r["maxrss_kb"], "iterations": int(it.group(1)) if it else None,
                           "stderr_line": m.group(0) if m else r["err"][-300:]})
            row = {"multiple": k, "rows": len(rep), "bytes": nbytes, "c": c_k,
                   "train_seconds": median([x["train_seconds"] for x in rs]),
                   "wall": median([x["wall"] for x in rs]), "rss_kb": median([x["rss_kb"] for x in rs]),
                   "iterations": rs[0]["iterations"], "runs": rs}
            series.append(row)
            log(f"   train x{k} ({len(rep)} rows, C = {c_k:g}): {row['train_seconds']:.2f} s, "
                f"{row['rss_kb'] / 1024:.0f} MiB")
        os.remove(path)
    for series, xkey, tkey in ((pred, "bytes", "wall"), (tr, "bytes", "train_seconds"),
                               (same, "bytes", "train_seconds")):
        for a, b in zip(series, series[1:]):
            b["time_exponent"] = exponent(a[xkey], b[xkey], a[tkey], b[tkey])
            b["rss_exponent"] = exponent(a[xkey], b[xkey], a["rss_kb"], b["rss_kb"])
    return {"predict": pred, "train": tr, "train_same_problem": same, "model": model,
            "train_options": train_args}


# ------------------------------------------------------------------------------ report

def fmt(x, nd=3):
    if x is None:
        return "–"
    return f"{x:.{nd}f}"


def fmt_c(c):
    return "–" if c is None else f"{c:g}"


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}"


def mib(kb):
    return "–" if kb is None else f"{kb / 1024:.0f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def ok(flag):
    return "–" if flag is None else ("**pass**" if flag else "**FAIL**")


def checks(results):
    """The issue's "done when" thresholds, each with its figures."""
    out = []
    d = results["datasets"]
    te = d.get("te_per_target")
    if te:
        f = te["tools"]["stance"]["median"]["f_avg"]
        out.append(("TweetEval stance per target: F_avg on test.csv ≥ 69.0 (options chosen on validation.csv)",
                    pct(f), f is not None and f >= THRESHOLDS["te_per_target_f_avg"]))
    nm = d.get("newsmtsc")
    if nm and "sklearn" in nm["tools"]:
        s, p = nm["tools"]["stance"]["median"]["macro_f1"], nm["tools"]["sklearn"]["median"]["macro_f1"]
        out.append(("NewsMTSC: validation macro-F1 ≥ scikit-learn's (same run)",
                    f"{pct(s)} vs {pct(p)}", s >= p))
    for key, ds in d.items():
        if any(t not in ds["tools"] for t in TOOLS):
            continue
        st, sk, ft = (ds["tools"][t]["median"] for t in TOOLS)
        m = ds["metric"]
        r = ratio(st["train_seconds"], sk["train_seconds"])
        out.append((f"{key}: training time vs scikit-learn ≤ 0.5×", fmt(r, 2) + "×",
                    r is not None and r <= THRESHOLDS["train_time_vs_sklearn"]))
        r = ratio(st["throughput"], sk["throughput"])
        out.append((f"{key}: prediction throughput vs scikit-learn ≥ 5×", fmt(r, 2) + "×",
                    r is not None and r >= THRESHOLDS["throughput_vs_sklearn"]))
        r1 = ratio(st["train_rss_kb"], sk["train_rss_kb"])
        r2 = ratio(st["predict_rss_kb"], sk["predict_rss_kb"])
        out.append((f"{key}: peak RSS vs scikit-learn ≤ 1× (training, prediction)",
                    f"{fmt(r1, 2)}×, {fmt(r2, 2)}×",
                    r1 is not None and r2 is not None and max(r1, r2) <= THRESHOLDS["rss_vs_sklearn"]))
        r = ratio(st["train_seconds"], ft["train_seconds"])
        out.append((f"{key}: training time vs fastText ≤ 1×", fmt(r, 2) + "×",
                    r is not None and r <= THRESHOLDS["train_time_vs_fasttext"]))
        out.append((f"{key}: {m} ≥ fastText's", f"{pct(st[m])} vs {pct(ft[m])}",
                    st[m] is not None and ft[m] is not None and st[m] >= ft[m]))
    g = results.get("growth")
    if g:
        for what, series in (("`stance predict`", g["predict"]),
                             ("`stance train`, the same problem (k copies at C / k)", g.get("train_same_problem")),
                             ("`stance train`, at the chosen C (k copies weaken the penalty k-fold: a harder "
                              "problem)", g["train"])):
            if not series:
                continue
            ts = [r.get("time_exponent") for r in series[1:]]
            ms = [r.get("rss_exponent") for r in series[1:]]
            worst_t = max([x for x in ts if x is not None], default=None)
            worst_m = max([x for x in ms if x is not None], default=None)
            out.append((f"growth of {what}: time and peak RSS grow no faster than the input "
                        f"(exponent ≤ {THRESHOLDS['growth_exponent']:.2f})",
                        f"time {fmt(worst_t, 2)}, RSS {fmt(worst_m, 2)}",
                        worst_t is not None and worst_m is not None
                        and max(worst_t, worst_m) <= THRESHOLDS["growth_exponent"]))
    return out


def markdown(results):
    a = results["args"]
    mi = results["machine"]
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Written by `bench/run.py` (see `bench/README.md`); raw figures in `bench/results.json`. "
      "Do not edit by hand: run the script again.")
    w("")
    if a["quick"]:
        w("> **Smoke test (`--quick`)**: training files subsampled, small grids, small growth runs. "
          "These figures say nothing about the tools.")
        w("")
    missing = [k for k in ("te_per_target", "te_pooled", "newsmtsc") if k not in results["datasets"]]
    missing += [k for k in ("tokenizer", "growth") if k not in results]
    if missing and not a.get("only"):
        w(f"> **Incomplete run**: no figures for {', '.join(missing)} (the run stopped before them).")
        w("")
    w(f"- Date: {results['date']}")
    w(f"- Machine: {mi['cpu']}, {mi['logical_cpus']} logical CPUs (processes pinned to CPUs "
      f"{results['cpus']}), {mi['mem_total_gib']} GiB RAM, {mi['os']}, Linux {mi['kernel']}")
    la = results["loadavg"]
    w(f"- Load average at start / end: {la['start']} / {la['end']} "
      "(figures taken beside other heavy work are only indicative)")
    v = results["versions"]
    w(f"- stance {v['stance']} (commit {v['commit']}{', with uncommitted changes' if v['dirty'] else ''}), "
      f"{v['rustc']}")
    w(f"- Python {mi['python']}; " + ", ".join(f"{k} {x}" for k, x in v["python_packages"].items()))
    w(f"- Runs per figure: {a['runs']} (medians); threads: {a['threads']} for every tool "
      f"(`RAYON_NUM_THREADS`, `OMP_NUM_THREADS`, `OPENBLAS_NUM_THREADS`, `MKL_NUM_THREADS`; fastText "
      f"`thread={a['threads']}`)")
    w(f"- Final TweetEval models trained on: {'train + validation' if a['refit_all'] else 'train only (`--train-only`)'} "
      f"after choosing on validation (the same for every tool); stance and scikit-learn fit the chosen C "
      f"along the warm-started C path their tuning scored")
    w(f"- Total time of this run: {results['seconds'] / 60:.1f} min")
    w("")
    w("## What is measured")
    w("")
    w("- **Quality** on the test file (TweetEval: `test.csv`; NewsMTSC: `validation.csv`), "
      "options chosen on TweetEval `validation.csv` / by 5-fold CV on NewsMTSC `train.csv` only. "
      "TweetEval per target: one model per target, predictions of the five targets concatenated, "
      "F_avg = mean F1 of favor and against (the TweetEval / SemEval-2016 metric). Every tool's "
      "predictions are scored by the same code (`bench/peers/common.py`). ×100.")
    w("- **Training time**: vectorise + fit with the chosen options, timed inside the process "
      "(stance: the `trained on N rows in X s` line; scikit-learn: `Pipeline.fit`; fastText: "
      "`train_supervised`), so interpreter start-up and reading the CSV do not count.")
    w("- **Prediction throughput**: rows of the test file per second of a whole process (start-up, "
      "model load, reading the CSV, predicting, writing JSON Lines with probabilities), timed from outside.")
    w("- **Peak RSS**: `ru_maxrss` of each process (`os.wait4`), training and prediction.")
    w("- **Ratios** are stance / peer: < 1 is better for time and memory, > 1 for throughput.")
    w("- Search space for stance and scikit-learn: word n-grams " + ", ".join(results["grid"]["ngrams"])
      + "; char n-grams " + ", ".join(results["grid"]["chars"])
      + (" (stance: inside " + " or ".join(results["grid"]["char_source"])
         + "; scikit-learn: char_wb, i.e. inside words)" if "char_source" in results["grid"] else "")
      + " (with them, the L2 norm over " + " or ".join({"row": "the whole row", "parts": "each part"}[x]
                                                 for x in results["grid"].get("norm", ["parts"])) + ")"
      + "; sublinear tf "
      + ", ".join(results["grid"]["sublinear"]) + "; min_df " + ", ".join(map(str, results["grid"]["min_df"]))
      + "; C " + ", ".join(f"{c:g}" for c in results["grid"]["c"]) + "; class weight "
      + ", ".join(results["grid"]["class_weight"])
      + ("; stance also its loss: " + ", ".join(results["grid"]["loss"])
         + " (scikit-learn's peer is LogisticRegression)" if "loss" in results["grid"] else "")
      + ("; with one model per target, stance also its group weights: "
         + ", ".join(results["grid"]["group_weights"])
         + " (shared: one fit whose weights every target shares plus each target's own)"
         if "group_weights" in results["grid"] else "")
      + ("; on TweetEval, stance also its hashtags: " + ", ".join(results["grid"]["hashtags"])
         + " (split: each hashtag of several words followed by them, `#NoWar` → `#NoWar No War`)"
         if "hashtags" in results["grid"] else "")
      + ("; stance also pretrained word vectors: " + ", ".join(results["grid"]["vectors"])
         + " (on: each text's mean GloVe 100d vector, the 100,000 most frequent words of "
         "`bench/fetch_vectors.py`'s file, appended to its TF-IDF features; the peers get none)"
         if "vectors" in results["grid"] else "")
      + ". One setting, C and class weight for all "
      "targets, chosen on the pooled validation predictions (stance's `--select pooled`). "
      "fastText: " + ", ".join(f"{k} {v}" for k, v in results["ft_grid"].items()) + " (softmax, minCount 1).")
    w("- scikit-learn features: `TfidfVectorizer` over stance's tokens (lowercase, accents stripped, "
      "token pattern `\\w+|[^\\w\\s]+`), word n-grams, and with char n-grams a second "
      "`TfidfVectorizer(analyzer='char_wb')` in a `FeatureUnion` (norm per part: each block L2-normed; "
      "norm over the whole row: blocks un-normed, then a `Normalizer`); `LogisticRegression(solver='lbfgs')` "
      "(multinomial), max_iter 1000, tol 1e-4. Tuning fits the C values in increasing order, "
      "warm-started, as stance does, and the final fit follows the same path to the chosen C. "
      "fastText is given the same tokens, joined by spaces.")
    w("")
    w("## Results")
    w("")
    for key, ds in results["datasets"].items():
        m = ds["metric"]
        w(f"### {ds['title']}")
        w("")
        how = (f"tuned on `{os.path.basename(ds['validation'])}`" if ds["validation"] else
               f"tuned by {ds['cv']}-fold CV on the training file ({ds['folds']})")
        w(f"Label `{ds['label']}`{', one model per `' + ds['group_by'] + '`' if ds['group_by'] else ''}; "
          f"{how}; scored on `{os.path.basename(ds['test'])}`; selection metric {m}.")
        w("")
        w("| tool | chosen options | validation score | F_avg | macro-F1 | macro-recall | accuracy | "
          "training (s) | prediction (rows/s) | peak RSS train (MiB) | peak RSS predict (MiB) | tuning (s) |")
        w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for t in TOOLS:
            x = ds["tools"][t]
            md, tu = x["median"], x["tuning"]
            rng = md.get(m + "_range")
            spread = f" ({pct(rng[0])}–{pct(rng[1])})" if rng and rng[0] != rng[1] else ""
            w(f"| {TOOL_NAMES[t]} | {tu['summary']} | {pct(tu['validation_score'])} | {pct(md['f_avg'])}"
              f"{spread if m == 'f_avg' else ''} | {pct(md['macro_f1'])}{spread if m == 'macro_f1' else ''} | "
              f"{pct(md['macro_recall'])} | {pct(md['accuracy'])} | {fmt(md['train_seconds'])} | "
              f"{fmt(md['throughput'], 0)} | {mib(md['train_rss_kb'])} | {mib(md['predict_rss_kb'])} | "
              f"{fmt(tu['tuning_wall'], 0)} |")
        w("")
        w("| stance / peer | training time | prediction throughput | peak RSS train | peak RSS predict | "
          f"{m} difference (points) |")
        w("|---|---:|---:|---:|---:|---:|")
        st = ds["tools"]["stance"]["median"]
        for t in TOOLS[1:]:
            p = ds["tools"][t]["median"]
            diff = (st[m] - p[m]) * 100 if st[m] is not None and p[m] is not None else None
            w(f"| vs {TOOL_NAMES[t]} | {fmt(ratio(st['train_seconds'], p['train_seconds']), 2)}× | "
              f"{fmt(ratio(st['throughput'], p['throughput']), 2)}× | "
              f"{fmt(ratio(st['train_rss_kb'], p['train_rss_kb']), 2)}× | "
              f"{fmt(ratio(st['predict_rss_kb'], p['predict_rss_kb']), 2)}× | "
              f"{'–' if diff is None else f'{diff:+.1f}'} |")
        w("")
        s = ds["tools"]["stance"]["tuning"]
        ev = s.get("evaluate", {})
        tt = s.get("tuned_model_test", {})
        w(f"Cross-checks: `stance evaluate` on the last trained model gives {m} "
          f"{pct(ev.get(m))}; the model written by `stance tune` gives {pct(tt.get(m))}"
          f"{'' if s.get('same_for_all_groups', True) else ' (NB: tune chose different settings per group)'}. "
          f"Test rows: {ds['tools']['stance']['runs'][0]['rows']}.")
        w("")
    w("## Done-when checks")
    w("")
    w("| check | figure | result |")
    w("|---|---|---|")
    for name, fig, flag in results["checks"]:
        w(f"| {name} | {fig} | {ok(flag)} |")
    w("")
    tok = results.get("tokenizer")
    if tok:
        w("## Tokenizer speed")
        w("")
        w("`examples/tokenize_speed.rs` on one core: stance's fast tokenizer, the `tokenizers`-based "
          "reference it must match, and a plain lowercase + whitespace split for scale "
          "(MB of text per second; CSVs contribute their `text` column).")
        w("")
        w("| text | MB | texts | fast (MB/s) | reference (MB/s) | lowercase+split (MB/s) | same tokens |")
        w("|---|---:|---:|---:|---:|---:|---|")
        for name, r in tok.items():
            w(f"| {name} | {r['bytes'] / 1e6:.2f} | {r['texts']} | {fmt(r['fast_mb_s'], 1)} | "
              f"{fmt(r['reference_mb_s'], 1)} | {fmt(r['lowercase_split_mb_s'], 1)} | "
              f"{'yes' if r['tokens_match'] else '**no**'} |")
        w("")
    g = results.get("growth")
    if g:
        w("## Growth")
        w("")
        w(f"`stance predict` on folders of articles (BBC + AG News corpus paragraphs, 20 per file, "
          f"blank-line separated, repeated to size) with the NewsMTSC model (`{g['model_shown']}`). "
          "Exponent: log(time ratio) / log(input ratio) from the previous row; 1 = linear.")
        w("")
        w("| input (MB) | files | paragraphs | wall (s) | MB/s | paragraphs/s | peak RSS (MiB) | time exponent | RSS exponent |")
        w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in g["predict"]:
            w(f"| {r['bytes'] / 1e6:.1f} | {r['files']} | {r['paragraphs']} | {fmt(r['wall'], 2)} | "
              f"{fmt(r['mb_s'], 2)} | {fmt(r['paragraphs_s'], 0)} | {mib(r['rss_kb'])} | "
              f"{fmt(r.get('time_exponent'), 2)} | {fmt(r.get('rss_exponent'), 2)} |")
        w("")
        opts = " ".join(g["train_options"])
        w("`stance train` on NewsMTSC `train.csv` repeated k times (ids renamed), options "
          f"`{opts}`, each size at C / k and at the chosen C. k copies at C / k are the original "
          "problem (the same objective per row, up to idf smoothing), so that series measures the "
          "growth of the work with the input; at the chosen C the copies weigh the penalty k times "
          "less against the loss, a less regularised problem that takes more solver steps.")
        w("")
        w("| repeats | C | rows | MB | training (s) | process wall (s) | peak RSS (MiB) | Newton steps | time exponent | RSS exponent |")
        w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for series in (g.get("train_same_problem") or [], g["train"]):
            for r in series:
                w(f"| {r['multiple']}× | {fmt_c(r.get('c'))} | {r['rows']} | {r['bytes'] / 1e6:.1f} | "
                  f"{fmt(r['train_seconds'], 2)} | {fmt(r['wall'], 2)} | {mib(r['rss_kb'])} | "
                  f"{r.get('iterations') or '–'} | {fmt(r.get('time_exponent'), 2)} | "
                  f"{fmt(r.get('rss_exponent'), 2)} |")
        w("")
    w("## How long each part took")
    w("")
    w("| part | minutes |")
    w("|---|---:|")
    for k, s in results["stage_seconds"].items():
        w(f"| {k} | {s / 60:.1f} |")
    w("")
    w("## Commands")
    w("")
    w("`$REPO` is the repository, `$SHARED` the `--shared` folder, `$WORK` the run's scratch folder, "
      "`$BIN` the copy of the release binaries the run used, `$PY` the benchmark venv's Python. "
      f"Every child process ran with " + ", ".join(f"`{k}={v}`" for k, v in results["thread_env"].items())
      + f", pinned to CPUs {results['cpus']}.")
    w("")
    w("```sh")
    w(f"# the whole benchmark\n{results['command']}")
    for sec, cmds in results["commands"].items():
        w(f"\n# {sec}")
        for c in cmds:
            w(c)
    w("```")
    w("")
    return "\n".join(L)


# ------------------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=None, help="runs per timed figure (default 3; 1 with --quick)")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"),
                    help="folder holding benchmarks/ and corpora/ (default: <repo>/../shared)")
    ap.add_argument("--quick", action="store_true", help="smoke test: subsets, small grids, small growth")
    ap.add_argument("--train-only", action="store_true",
                    help="train the final TweetEval models on train.csv only (default: train + "
                    "validation, as SemEval-2016's training set, for every tool)")
    ap.add_argument("--threads", type=int, default=2, help="threads (and cores) for every tool")
    ap.add_argument("--c-values", help="override the C grid, e.g. 0.1,0.3,1,3,10,30,100")
    ap.add_argument("--only", help="comma list of parts: te_per_target,te_pooled,newsmtsc,tokenizer,growth")
    ap.add_argument("--growth-options", help="with --only growth (no NewsMTSC tuning): stance train "
                    "options of the growth model (default: the NewsMTSC choice in bench/results.json)")
    ap.add_argument("--vectors", metavar="PATH",
                    help="also let stance's tuning try these word vectors (e.g. bench/.data/glove-6B-100d.txt, "
                    "written by bench/setup.sh); default: none, as the peers get none")
    ap.add_argument("--python", help="Python with the peers' requirements (default: bench/.venv/bin/python)")
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release binaries")
    ap.add_argument("--output", help="markdown file (default: BENCHMARKS.md; --quick: bench/quick/BENCHMARKS.md)")
    ap.add_argument("--results", help="JSON file (default: bench/results.json; --quick: bench/quick/results.json)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (models, predictions)")
    ap.add_argument("--render", metavar="RESULTS_JSON",
                    help="only rewrite the markdown (--output) from a results.json of an earlier run")
    args = ap.parse_args()
    if args.render:
        with open(args.render) as f:
            results = json.load(f)
        results["checks"] = checks(results)
        output = args.output or (os.path.join(BENCH, "quick", "BENCHMARKS.md") if results["args"]["quick"]
                                 else os.path.join(REPO, "BENCHMARKS.md"))
        with open(output, "w") as f:
            f.write(markdown(results))
        log(f"wrote {output}")
        return
    args.refit_all = not args.train_only
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    args.shared = os.path.abspath(args.shared)
    outdir = os.path.join(BENCH, "quick") if args.quick else None
    output = args.output or (os.path.join(outdir, "BENCHMARKS.md") if outdir else os.path.join(REPO, "BENCHMARKS.md"))
    results_path = args.results or (os.path.join(outdir, "results.json") if outdir else os.path.join(BENCH, "results.json"))
    py = os.path.abspath(args.python or os.path.join(BENCH, ".venv", "bin", "python"))
    if not os.path.exists(py):
        sys.exit(f"no {py}: run bench/setup.sh first, or pass --python")
    if args.vectors and not os.path.exists(args.vectors):
        sys.exit(f"no {args.vectors}: run bench/setup.sh first (it fetches bench/.data/glove-6B-100d.txt)")
    only = set(args.only.split(",")) if args.only else None
    started = time.perf_counter()
    stages = {}
    la_start = loadavg()
    work = tempfile.mkdtemp(prefix="stance-bench-")
    log(f"scratch folder {work}")

    # Cores: the first --threads CPUs this process may use.
    cpus = sorted(os.sched_getaffinity(0))[:args.threads]
    binroot = os.path.join(work, "bin")
    os.makedirs(binroot)
    subst = [(binroot, "$BIN"), (work, "$WORK"), (py, "$PY"), (args.shared, "$SHARED"), (REPO, "$REPO")]
    runner = Runner(cpus, args.threads, subst, logdir=os.path.join(work, "logs"))

    t = time.perf_counter()
    if args.no_build:
        for cmd in (["cargo", "build", "--release"],
                    ["cargo", "build", "--release", "--example", "tokenize_speed", "--example", "folds"]):
            runner.note("build (skipped: --no-build; the binaries already built were used)", cmd)
    else:
        log("building (cargo build --release)")
        for cmd in (["cargo", "build", "--release"],
                    ["cargo", "build", "--release", "--example", "tokenize_speed"]):
            runner.note("build", cmd)
            subprocess.run(cmd, cwd=REPO, check=True)
        r = subprocess.run(["cargo", "build", "--release", "--example", "folds"], cwd=REPO)
        if r.returncode == 0:
            runner.note("build", ["cargo", "build", "--release", "--example", "folds"])
    # Copies, so that a rebuild during the run changes nothing.
    bins = {}
    for name, rel in (("stance", "target/release/stance"), ("tokenize_speed", "target/release/examples/tokenize_speed"),
                      ("folds", "target/release/examples/folds")):
        src = os.path.join(REPO, rel)
        if os.path.exists(src):
            bins[name] = os.path.join(binroot, name)
            shutil.copy2(src, bins[name])
            runner.note("copy of the binaries used", ["cp", src, bins[name]])
    if "stance" not in bins:
        sys.exit("no target/release/stance: build it (cargo build --release)")
    stages["build"] = time.perf_counter() - t

    commit = capture(["git", "rev-parse", "--short", "HEAD"], cwd=REPO)
    dirty = bool(capture(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO))
    pkgs = {}
    freeze = capture([py, "-m", "pip", "freeze"]) or ""
    for line in freeze.splitlines():
        name = line.split("==")[0].lower()
        if name in ("scikit-learn", "numpy", "scipy", "fasttext-wheel", "joblib", "threadpoolctl"):
            pkgs[name] = line.split("==")[-1]
    blas = capture([py, "-c", "import json, numpy, scipy.sparse, sklearn; from threadpoolctl import threadpool_info; "
                    "print(json.dumps([(i['internal_api'], i.get('version'), i.get('architecture')) for i in threadpool_info()]))"])
    versions = {"stance": (capture([bins["stance"], "--version"]) or "").replace("stance ", ""),
                "commit": commit, "dirty": dirty, "rustc": capture(["rustc", "--version"]),
                "python_packages": pkgs, "blas": json.loads(blas) if blas else None}

    results = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
        "args": vars(args), "machine": machine_info(), "cpus": cpus, "versions": versions,
        "thread_env": {k: runner.env[k] for k in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS",
                                                  "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "datasets": {}, "stage_seconds": stages,
    }
    results["command"] = runner.show(["python", "bench/run.py"] + sys.argv[1:]).replace(REPO + "/", "")

    bench = Bench(args, runner, work, bins["stance"], py, bins.get("folds"))
    results["grid"] = bench.grid
    results["ft_grid"] = bench.ft_grid
    datasets = prepare_data(args, work)

    def save():
        results["seconds"] = time.perf_counter() - started
        results["loadavg"] = {"start": la_start, "end": loadavg()}
        results["commands"] = runner.commands
        results["checks"] = checks(results)
        os.makedirs(os.path.dirname(results_path), exist_ok=True)
        with open(results_path, "w") as f:
            json.dump(results, f, indent=1, default=str)
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
        with open(output, "w") as f:
            f.write(markdown(results))

    try:
        for ds in datasets:
            if only and ds["key"] not in only:
                continue
            t = time.perf_counter()
            results["datasets"][ds["key"]] = bench.dataset(ds)
            stages[ds["title"]] = time.perf_counter() - t
            save()
        if (not only or "tokenizer" in only) and "tokenize_speed" in bins:
            log("== tokenizer speed")
            t = time.perf_counter()
            results["tokenizer"] = tokenizer_speed(runner, bins["tokenize_speed"], args)
            stages["tokenizer speed"] = time.perf_counter() - t
            save()
        if not only or "growth" in only:
            log("== growth")
            t = time.perf_counter()
            nm = results["datasets"].get("newsmtsc") or growth_model(runner, bench, args, datasets[-1])
            g = growth(runner, bench, args, nm)
            g["model_shown"] = runner.show([g["model"]])
            results["growth"] = g
            stages["growth"] = time.perf_counter() - t
        save()
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {output} and {results_path} in {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
