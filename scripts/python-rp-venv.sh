#!/usr/bin/env bash
# Finds or makes the project-local Python virtualenv of the end-to-end tests' second relying party
# (test/e2e/rp/authlib_rp.py: Python Authlib), installed from PyPI with the pinned versions and
# hashes of test/e2e/rp/requirements.txt. Prints progress on stderr and the virtualenv's python
# as the last line of stdout:
#   PYTHON=$(scripts/python-rp-venv.sh | tail -n 1)
# Where: $PYTHON_RP_VENV, default .cache/venv/authlib-rp. Made again only when the requirements
# change (their hash is kept next to it). Needs python3 ≥ 3.10 with venv (Debian/Ubuntu:
# apt-get install python3-venv) and PyPI (or PIP_INDEX_URL) the first time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REQUIREMENTS="$ROOT/test/e2e/rp/requirements.txt"
VENV="${PYTHON_RP_VENV:-$ROOT/.cache/venv/authlib-rp}"
STAMP="$VENV/.requirements.sha256"
PYTHON="$VENV/bin/python"

say() { echo "python-rp-venv: $*" >&2; }

wanted=$(sha256sum "$REQUIREMENTS" | cut -d ' ' -f 1)
if [ -x "$PYTHON" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
  echo "$PYTHON"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  say "python3 (3.10 or later) is needed: apt-get install python3 python3-venv"
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  say "python3 is $(python3 --version 2>&1); 3.10 or later is needed"
  exit 1
fi
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  say "python3 has no venv module: apt-get install python3-venv"
  exit 1
fi

say "making $VENV (Authlib and its dependencies from PyPI, hashes checked)"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-hashes --no-deps --only-binary=:all: -r "$REQUIREMENTS" >&2
"$PYTHON" -m pip check >&2
echo "$wanted" >"$STAMP"
echo "$PYTHON"
