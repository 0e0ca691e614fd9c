#!/usr/bin/env bash
# Execute every notebook in notebooks/ headlessly and fail when any cell fails.
#
#   bash .ci/notebooks.sh           run them in memory; the committed .ipynb files are left alone
#   bash .ci/notebooks.sh --write   run them and save the outputs into the .ipynb files (to commit)
#
# Creates (or reuses) a virtual environment at .venv-notebooks (override with NOTEBOOK_VENV),
# installs notebooks/requirements.txt into it, builds target/release/stance, registers the
# venv's Python as the `python3` Jupyter kernel inside the venv, and executes the notebooks
# with nbclient (working directory notebooks/, NOTEBOOK_CELL_TIMEOUT seconds per cell, 600 by
# default). Needs python3 (with the venv module), cargo, and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

write=0
case "${1:-}" in
  "") ;;
  --write) write=1 ;;
  *) echo "usage: bash .ci/notebooks.sh [--write]" >&2; exit 2 ;;
esac

venv=${NOTEBOOK_VENV:-$root/.venv-notebooks}
py=$venv/bin/python

if [ ! -x "$py" ] || ! "$py" -c 'import sys' 2>/dev/null; then
  echo "notebooks: creating virtual environment $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  echo '*' > "$venv/.gitignore"  # keep the venv out of git status
fi
echo "notebooks: installing notebooks/requirements.txt"
"$py" -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt

echo "notebooks: cargo build --release"
cargo build --release --quiet

# The notebooks ask for the `python3` kernel: make it this venv's Python, and look for
# kernels in the venv first so a user-wide `python3` kernel elsewhere is not picked up.
kernel_json=$venv/share/jupyter/kernels/python3/kernel.json
if [ ! -f "$kernel_json" ] || ! grep -qF "\"$py\"" "$kernel_json"; then
  "$py" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
fi
export JUPYTER_PATH=$venv/share/jupyter
export JUPYTER_PLATFORM_DIRS=1
unset MPLBACKEND  # let ipykernel use its inline backend, which puts the figures into the outputs

"$py" - "$write" <<'PY'
import os
import sys
import time
import traceback
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

write = sys.argv[1] == "1"
folder = Path("notebooks").resolve()
timeout = int(os.environ.get("NOTEBOOK_CELL_TIMEOUT", "600"))
notebooks = sorted(folder.glob("*.ipynb"))
if not notebooks:
    print("notebooks: no notebooks found in notebooks/")
    sys.exit(1)

passed, failed = [], []
for path in notebooks:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
    )
    start = time.monotonic()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        failed.append(path.name)
        print(f"notebooks: FAILED {path.name} after {time.monotonic() - start:.0f} s\n{err}", flush=True)
        continue
    except Exception:
        failed.append(path.name)
        print(f"notebooks: FAILED {path.name}: could not run it", flush=True)
        traceback.print_exc()
        continue
    passed.append(path.name)
    print(f"notebooks: ok {path.name} ({time.monotonic() - start:.0f} s)", flush=True)
    if write:
        nbformat.write(nb, path)
        print(f"notebooks: wrote outputs into {path.relative_to(folder.parent)}", flush=True)

print(f"notebooks: {len(passed)} ran cleanly, {len(failed)} with errors")
sys.exit(1 if failed else 0)
PY
