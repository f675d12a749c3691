#!/usr/bin/env bash
# Finds or builds Ory Hydra v2.3.0, the version the end-to-end tests and `npm start` run.
# Prints progress on stderr and the binary's path as the last line of stdout:
#   HYDRA=$(scripts/build-hydra.sh | tail -n 1)
# Order: $HYDRA_BIN; the cached build (.cache/hydra/v2.3.0/hydra); `hydra` on PATH at v2.3.0;
# else a build from the Go module proxy (a few minutes on 2 cores, once per machine).
set -euo pipefail

VERSION=v2.3.0
MODULE=github.com/ory/hydra/v2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.cache/hydra/$VERSION"
BINARY="$CACHE/hydra"

say() { echo "build-hydra: $*" >&2; }

is_wanted_version() { "$1" version 2>/dev/null | grep -q "$VERSION"; }

if [ -n "${HYDRA_BIN:-}" ]; then
  if [ -x "$HYDRA_BIN" ]; then
    echo "$HYDRA_BIN"
    exit 0
  fi
  say "HYDRA_BIN=$HYDRA_BIN is not an executable file"
  exit 1
fi
if [ -x "$BINARY" ] && is_wanted_version "$BINARY"; then
  echo "$BINARY"
  exit 0
fi
if command -v hydra >/dev/null 2>&1 && is_wanted_version "$(command -v hydra)"; then
  command -v hydra
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go >= 1.22 is needed to build Hydra $VERSION: install it from your package manager"
  say "(Debian/Ubuntu: apt-get install golang) or https://go.dev/dl, or set HYDRA_BIN to a hydra $VERSION binary."
  exit 1
fi
if ! command -v gcc >/dev/null 2>&1; then
  say "gcc is needed to build Hydra with SQLite (CGO): apt-get install gcc (or set HYDRA_BIN)."
  exit 1
fi

say "building Hydra $VERSION from the Go module proxy (once per machine; a few minutes)"
start=$(date +%s)
# The module's go.mod replaces github.com/ory/hydra-client-go/v2 with a nested folder that module
# zips leave out: drop that replace and use the published version its require line names. That
# module's checksum is then looked up in the checksum database like any other.
export GOFLAGS=-mod=mod
dir=$(go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { say "go mod download did not name the module folder"; exit 1; }

SRC="$ROOT/.cache/hydra/src-$VERSION"
rm -rf "$SRC"
mkdir -p "$SRC" "$CACHE"
cp -R "$dir/." "$SRC/"
chmod -R u+w "$SRC"
cd "$SRC"
go mod edit -dropreplace=github.com/ory/hydra-client-go/v2
# The version is stamped the way Ory's release builds do, so `hydra version` names it.
CGO_ENABLED=1 go build -trimpath -tags sqlite,json1,sqlite_omit_load_extension \
  -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$VERSION" \
  -o "$CACHE/hydra.tmp" . >&2
mv "$CACHE/hydra.tmp" "$BINARY"
cd "$ROOT"
rm -rf "$SRC"
say "built $BINARY in $(( $(date +%s) - start ))s"
is_wanted_version "$BINARY" || { say "the built binary does not report $VERSION"; exit 1; }
echo "$BINARY"
