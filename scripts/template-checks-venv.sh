#!/usr/bin/env bash
# Finds or makes the project-local Python virtualenv of the template checks (cfn-lint with the
# cfn-lint-serverless rules, and checkov: test/integration/templates.test.ts), installed from
# PyPI with the pinned versions and hashes of test/templates/requirements.txt. Prints progress on
# stderr and the virtualenv's bin folder as the last line of stdout:
#   BIN=$(scripts/template-checks-venv.sh | tail -n 1); "$BIN/cfn-lint" --version
# Where: $TEMPLATE_CHECKS_VENV, default .cache/venv/template-checks. Made again only when the
# requirements change (their hash is kept next to it). Needs python3 3.11 with venv (the wheels'
# hashes are CPython 3.11's; Debian/Ubuntu: apt-get install python3-venv) and PyPI (or
# PIP_INDEX_URL) the first time. The same pattern as scripts/python-rp-venv.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REQUIREMENTS="$ROOT/test/templates/requirements.txt"
VENV="${TEMPLATE_CHECKS_VENV:-$ROOT/.cache/venv/template-checks}"
STAMP="$VENV/.requirements.sha256"
PYTHON="$VENV/bin/python"

say() { echo "template-checks-venv: $*" >&2; }

wanted=$(sha256sum "$REQUIREMENTS" | cut -d ' ' -f 1)
if [ -x "$PYTHON" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
  echo "$VENV/bin"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  say "python3 (3.11) is needed: apt-get install python3 python3-venv"
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  say "python3 is $(python3 --version 2>&1); the pinned wheels are CPython 3.11's"
  say "(regenerate test/templates/requirements.txt for another version, as its header says)"
  exit 1
fi
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  say "python3 has no venv module: apt-get install python3-venv"
  exit 1
fi

say "making $VENV (cfn-lint, cfn-lint-serverless, checkov and their dependencies from PyPI, hashes checked)"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-hashes --no-deps --only-binary=:all: -r "$REQUIREMENTS" >&2
"$PYTHON" -m pip check >&2
echo "$wanted" >"$STAMP"
echo "$VENV/bin"
