#!/usr/bin/env bash
# Fetches dist/webchat.js of botframework-webchat from the npm registry, checks its SHA-256 and places it at $3.
# Run by the SupportSlm.Channels build only when the cached copy is missing. Usage: fetch-webchat.sh VERSION SHA256 DEST
set -euo pipefail
version=$1 expected=$2 dest=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "botframework-webchat@$version" >/dev/null)
tar -xzf "$work/botframework-webchat-$version.tgz" -C "$work" package/dist/webchat.js
actual=$(sha256sum "$work/package/dist/webchat.js" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "error: botframework-webchat@$version dist/webchat.js has SHA-256 $actual, expected $expected" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
mv "$work/package/dist/webchat.js" "$dest.tmp.$$" && mv "$dest.tmp.$$" "$dest"
echo "fetched botframework-webchat@$version dist/webchat.js to $dest"
