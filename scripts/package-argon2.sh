#!/usr/bin/env bash
# Runs inside serverless-esbuild's build folder (.esbuild/.build) after it installed the external
# modules for the host. Lambda runs linux-arm64 (glibc): put that @node-rs/argon2 binding in and
# take every other platform's binding out, so each zip carries exactly the binary Lambda loads.
# (A plain `npm install` there would silently swap the binding back to the host's.)
set -euo pipefail

version=$(node -p "require('./node_modules/@node-rs/argon2/package.json').version")
binding="@node-rs/argon2-linux-arm64-gnu"
target="node_modules/${binding}"

echo "package-argon2: installing ${binding}@${version}" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The same fail-fast fetch settings as the externals' `npm ci` (serverless.yml, installExtraArgs).
if ! tarball=$(cd "$tmp" && npm pack --silent --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 \
  --fetch-timeout=30000 "${binding}@${version}" 2>"$tmp/npm-pack.log" | tail -n 1) || [ -z "$tarball" ]; then
  echo "package-argon2: could not fetch ${binding}@${version} from the npm registry:" >&2
  tail -n 5 "$tmp/npm-pack.log" >&2
  exit 1
fi
rm -rf "$target"
mkdir -p "$target"
tar -xzf "$tmp/$tarball" -C "$target" --strip-components=1

for other in node_modules/@node-rs/argon2-*; do
  [ "$other" = "$target" ] || rm -rf "$other"
done
test -f "$target/argon2.linux-arm64-gnu.node"
echo "package-argon2: $(ls node_modules/@node-rs | tr '\n' ' ')" >&2
