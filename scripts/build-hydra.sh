#!/usr/bin/env bash
# Finds or builds the Ory Hydra the end-to-end tests and `npm start` run: HYDRA_VERSION, v26.2.0
# by default, or v2.3.0. Prints progress on stderr and the binary's path as the last line of stdout:
#   HYDRA=$(HYDRA_VERSION=v2.3.0 scripts/build-hydra.sh | tail -n 1)
#
# Order: $HYDRA_BIN (it must report HYDRA_VERSION); the cached build
# ($HYDRA_CACHE_DIR/<version>/hydra, .cache/hydra by default); `hydra` on PATH at that version;
# else a build (a few minutes on 2 cores, once per machine and version):
# - v2.3.0 from the Go module proxy;
# - v26.2.0 from HYDRA_SOURCE: a folder holding Hydra's tree at the tag, or an archive of it
#   (.tar.xz / .tar.gz) with its checksum beside it (<archive>.sha256, checked before use);
#   without HYDRA_SOURCE, a shallow git clone of https://github.com/ory/hydra (or HYDRA_GIT_URL, a
#   mirror) at the tag, checked against the tag's commit. The module proxy cannot serve v26 (see README, "Hydra versions").
# Needs Go (>= 1.22 for v2.3.0, >= 1.26 for v26.2.0) and gcc (SQLite is built in, through CGO).
set -euo pipefail

VERSION=${HYDRA_VERSION:-v26.2.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE_ROOT=${HYDRA_CACHE_DIR:-$ROOT/.cache/hydra}
CACHE="$CACHE_ROOT/$VERSION"
BINARY="$CACHE/hydra"
MODULE=github.com/ory/hydra/v2
REPOSITORY=${HYDRA_GIT_URL:-https://github.com/ory/hydra}
# The commit v26.2.0 is tagged at: a clone must land on it.
V26_COMMIT=0b84568fffccf151dc5e6c7955fdfb738555bf4b

say() { echo "build-hydra: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

case "$VERSION" in
  v2.3.0) GO_NEEDED=1.22 ;;
  v26.2.0) GO_NEEDED=1.26 ;;
  *) fail "HYDRA_VERSION=$VERSION is not one this project supports: v26.2.0 (the default) or v2.3.0" ;;
esac

# Whether `$1 version` names $VERSION on its "Version:" line. The output is captured first and
# then read: piping it into `grep -q` under pipefail failed now and then (grep exits at its match,
# hydra then dies of SIGPIPE writing its last lines, and the pipeline reports 141).
reported_version() {
  local output key value
  output=$("$1" version 2>/dev/null) || return 0
  while read -r key value; do
    if [ "$key" = "Version:" ]; then
      echo "$value"
      return 0
    fi
  done <<<"$output"
}
is_wanted_version() { [ "$(reported_version "$1")" = "$VERSION" ]; }

if [ -n "${HYDRA_BIN:-}" ]; then
  [ -x "$HYDRA_BIN" ] || fail "HYDRA_BIN=$HYDRA_BIN is not an executable file"
  reported=$(reported_version "$HYDRA_BIN")
  if [ "$reported" != "$VERSION" ]; then
    fail "HYDRA_BIN=$HYDRA_BIN reports version '${reported:-none}', not $VERSION: set HYDRA_VERSION to the version it is (v2.3.0 or v26.2.0), or unset HYDRA_BIN"
  fi
  echo "$HYDRA_BIN"
  exit 0
fi
if [ -x "$BINARY" ] && is_wanted_version "$BINARY"; then
  echo "$BINARY"
  exit 0
fi
if command -v hydra >/dev/null 2>&1 && is_wanted_version "$(command -v hydra)"; then
  command -v hydra
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# The source tree of $VERSION, copied or unpacked into $SRC (removed after the build).
# ---------------------------------------------------------------------------------------------
SRC="$CACHE_ROOT/src-$VERSION"

source_from_archive() {
  local archive=$1 sums="$1.sha256" expected actual
  [ -f "$sums" ] || fail "no checksum beside $archive (expected $sums): refusing an archive that cannot be checked"
  command -v sha256sum >/dev/null 2>&1 || fail "sha256sum is needed to check $archive (coreutils)"
  read -r expected _ <"$sums" || true
  actual=$(sha256sum "$archive")
  actual=${actual%% *}
  if [ -z "$expected" ] || [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $archive: its SHA-256 is $actual, $sums says ${expected:-nothing}; refusing to build from it (a corrupted or different archive)"
  fi
  say "checksum of $archive matches $sums"
  mkdir -p "$SRC"
  # `git archive --prefix=hydra-<tag>/`: one top folder, dropped here.
  tar -xf "$archive" -C "$SRC" --strip-components=1 || fail "could not unpack $archive"
}

source_from_git() {
  command -v git >/dev/null 2>&1 || fail "git is needed to fetch Hydra $VERSION's source (or set HYDRA_SOURCE to its tree or source archive, see README)"
  say "no HYDRA_SOURCE: cloning $REPOSITORY at $VERSION (shallow)"
  if ! git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$VERSION" "$REPOSITORY" "$SRC" >&2; then
    fail "could not clone $REPOSITORY at $VERSION (no internet access?): set HYDRA_SOURCE to a folder with Hydra's tree at $VERSION, or to its source archive with the .sha256 file beside it (see README, \"Hydra versions\")"
  fi
  local commit
  commit=$(git -C "$SRC" rev-parse HEAD)
  [ "$commit" = "$V26_COMMIT" ] || fail "the clone's $VERSION is commit $commit, not $V26_COMMIT: refusing to build it"
}

v26_source() {
  rm -rf "$SRC"
  if [ -z "${HYDRA_SOURCE:-}" ]; then
    source_from_git
  elif [ -d "$HYDRA_SOURCE" ]; then
    say "source: the folder $HYDRA_SOURCE"
    mkdir -p "$SRC"
    cp -R "$HYDRA_SOURCE/." "$SRC/"
  elif [ -f "$HYDRA_SOURCE" ]; then
    source_from_archive "$HYDRA_SOURCE"
  else
    fail "HYDRA_SOURCE=$HYDRA_SOURCE is neither a folder nor a file"
  fi
  chmod -R u+w "$SRC"
  [ -f "$SRC/go.mod" ] && grep -q "^module $MODULE\$" "$SRC/go.mod" ||
    fail "HYDRA_SOURCE=${HYDRA_SOURCE:-} does not hold Hydra's tree (no go.mod of $MODULE at its top)"
}

v2_source() {
  # The module's go.mod replaces github.com/ory/hydra-client-go/v2 with a nested folder that module
  # zips leave out: drop that replace and use the published version its require line names. That
  # module's checksum is then looked up in the checksum database like any other.
  local dir
  dir=$(GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || fail "go mod download did not name the module folder"
  rm -rf "$SRC"
  mkdir -p "$SRC"
  cp -R "$dir/." "$SRC/"
  chmod -R u+w "$SRC"
  (cd "$SRC" && go mod edit -dropreplace=github.com/ory/hydra-client-go/v2)
}

# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
  say "Go >= $GO_NEEDED is needed to build Hydra $VERSION: install it from your package manager"
  fail "(Debian/Ubuntu: apt-get install golang) or https://go.dev/dl, or set HYDRA_BIN to a hydra $VERSION binary."
fi
command -v gcc >/dev/null 2>&1 ||
  fail "gcc is needed to build Hydra with SQLite (CGO): apt-get install gcc (or set HYDRA_BIN)."
# Whether version $1 is at least $2 (as sort -V orders them).
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }
go_version=$(go env GOVERSION 2>/dev/null || true)
go_version=${go_version#go}
if ! at_least "${go_version:-0}" "$GO_NEEDED"; then
  at_least "${go_version:-0}" 1.21 ||
    fail "Go ${go_version:-(unknown)} is too old to build Hydra $VERSION: install Go >= $GO_NEEDED (https://go.dev/dl), or set HYDRA_BIN"
  # Go >= 1.21 fetches another toolchain through the module proxy when GOTOOLCHAIN says so.
  say "Go $go_version is older than the $GO_NEEDED Hydra $VERSION needs: fetching go$GO_NEEDED.0 through the module proxy (GOTOOLCHAIN)"
  export GOTOOLCHAIN="go$GO_NEEDED.0+auto"
fi

say "building Hydra $VERSION (once per machine; a few minutes)"
start=$(date +%s)
mkdir -p "$CACHE_ROOT"
trap 'rm -rf "$SRC"' EXIT
case "$VERSION" in
  v2.3.0)
    [ -z "${HYDRA_SOURCE:-}" ] || say "HYDRA_SOURCE is for v26.2.0: v2.3.0 comes from the Go module proxy"
    v2_source
    export GOFLAGS=-mod=mod
    tags=sqlite,json1,sqlite_omit_load_extension
    ;;
  v26.2.0)
    v26_source
    tags=sqlite,sqlite_omit_load_extension
    ;;
esac
mkdir -p "$CACHE"
# The version is stamped the way Ory's release builds do, so `hydra version` names it.
(cd "$SRC" && CGO_ENABLED=1 go build -trimpath -tags "$tags" \
  -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$VERSION" \
  -o "$CACHE/hydra.tmp" . >&2)
mv "$CACHE/hydra.tmp" "$BINARY"
say "built $BINARY in $(($(date +%s) - start))s"
is_wanted_version "$BINARY" || fail "the built binary does not report $VERSION"
echo "$BINARY"
