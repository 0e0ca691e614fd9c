"""Small helpers shared by the notebooks in this folder.

The notebooks run with the working directory set to ``notebooks/``; this module
finds the repository root next to it, builds ``target/release/stance`` with
``cargo build --release`` when it is missing, and runs the binary, returning
its standard output (parsed as JSON where asked).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANCE = ROOT / "target" / "release" / "stance"
DATA = ROOT / "training-data"
SHIPPED_MODEL = ROOT / "models" / "stance.model"

# One colour per label, the same in every notebook.
COLOURS = {
    "against": "#c0392b",
    "favor": "#2471a3",
    "neutral": "#b3b6b7",
    "negative": "#a04000",
    "positive": "#1e8449",
}


def ensure_binary() -> Path:
    """Return the release binary, building it first if it is not there."""
    if not STANCE.exists():
        print("building target/release/stance with `cargo build --release` ...")
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    return STANCE


def stance(*args: object) -> str:
    """Run `stance ARGS...` from the repository root and return its stdout.

    Raises with the command's stderr when it exits non-zero.
    """
    cmd = [str(ensure_binary()), *map(str, args)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr}"
        )
    return done.stdout


def stance_json(*args: object) -> dict:
    """Run `stance ARGS... --format json` and parse what it prints."""
    return json.loads(stance(*args, "--format", "json"))


def load_model(path: Path) -> dict:
    """Read a model file written by `stance train` or `stance tune`."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
