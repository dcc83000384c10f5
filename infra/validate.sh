#!/usr/bin/env bash
# Offline validation of the deployment material under infra/ (no Docker engine, no cloud access needed):
#   1. Bicep: infra/azure/main.bicep and main.bicepparam compiled by the Bicep CLI (NuGet package
#      Azure.Bicep.CommandLine.linux-x64, fetched once into a cache); any error or warning fails.
#   2. nginx: `nginx -t` on infra/compose/nginx.conf (Debian's nginx, installed when missing and running as root).
#   3. infra/validate/validate.mjs (npm packages pinned in infra/validate/package-lock.json): YAML/JSON syntax,
#      Compose Specification schema, Kubernetes schemas and cross-references, Dockerfile lint and COPY sources, the
#      compiled ARM template, and every setting the manifests give the host checked against its options classes.
# Exit code 0 when everything passes, 1 with one line per problem otherwise.
# Overrides: SUPPORTSLM_BICEP (an existing bicep executable), SUPPORTSLM_BICEP_CACHE (cache folder).
set -euo pipefail
cd "$(dirname "$0")/.."

bicep_version=0.49.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "infra validation failed: $*" >&2; exit 1; }

echo "== node checkers (infra/validate)"
# npm ci again only when the lock file changed since the last install (a stamp inside node_modules).
lock_hash=$(sha256sum infra/validate/package-lock.json | cut -d' ' -f1)
stamp=infra/validate/node_modules/.supportslm-lock.sha256
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  (cd infra/validate && npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1 \
    || { cat "$work/npm.log" >&2; fail "npm ci in infra/validate failed"; }
  echo "$lock_hash" >"$stamp"
fi

echo "== Bicep CLI $bicep_version"
bicep=${SUPPORTSLM_BICEP:-}
if [ -z "$bicep" ]; then
  cache=${SUPPORTSLM_BICEP_CACHE:-$HOME/.cache/supportslm/bicep}
  bicep="$cache/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"
  if [ ! -f "$bicep" ]; then
    # NuGet checks the package's hash and signature; a throwaway project outside the repository downloads it.
    mkdir -p "$work/bicep-restore"
    cat >"$work/bicep-restore/bicep.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$bicep_version]" /></ItemGroup>
</Project>
EOF
    dotnet restore "$work/bicep-restore/bicep.csproj" --packages "$cache" >"$work/restore.log" 2>&1 \
      || { cat "$work/restore.log" >&2; fail "could not restore Azure.Bicep.CommandLine.linux-x64 $bicep_version from NuGet (set SUPPORTSLM_BICEP to a bicep executable instead)"; }
  fi
  chmod +x "$bicep"
fi
"$bicep" --version

# Bicep prints nothing for a clean file; any line is an error or a warning (a misspelt property is only a warning).
if ! "$bicep" build infra/azure/main.bicep --outfile "$work/main.json" 2>"$work/bicep.log" || [ -s "$work/bicep.log" ]; then
  cat "$work/bicep.log" >&2
  fail "infra/azure/main.bicep does not compile cleanly"
fi
# The parameters file reads its secrets from the environment at deployment; placeholders prove it is complete.
if ! SUPPORTSLM_DB_ADMIN_PASSWORD=placeholder SUPPORTSLM_BOT_APP_PASSWORD=placeholder \
     SUPPORTSLM_DIRECTLINE_SIGNING_KEY=placeholder SUPPORTSLM_DIRECTLINE_SECRET=placeholder \
     "$bicep" build-params infra/azure/main.bicepparam --outfile "$work/main.parameters.json" 2>"$work/bicep.log" \
   || [ -s "$work/bicep.log" ]; then
  cat "$work/bicep.log" >&2
  fail "infra/azure/main.bicepparam does not compile cleanly"
fi
echo "ok   infra/azure/main.bicep and main.bicepparam compile without errors or warnings"

echo "== nginx -t"
if ! command -v nginx >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || fail "nginx is not installed: sudo apt-get install nginx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi
# Upstream names are Compose service names, resolvable only inside Compose: test the file with them on loopback.
mkdir -p "$work/nginx"
sed -E 's/^(\s*server\s+)[A-Za-z0-9.-]+:/\1127.0.0.1:/' infra/compose/nginx.conf >"$work/nginx/nginx.conf"
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "pid $work/nginx/nginx.pid; error_log stderr;" \
  || fail "infra/compose/nginx.conf is not a valid nginx configuration"
echo "ok   infra/compose/nginx.conf"

echo "== manifests"
node infra/validate/validate.mjs --arm "$work/main.json" --arm-params "$work/main.parameters.json"
