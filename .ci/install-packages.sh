#!/usr/bin/env bash
# Debian packages the build and tests need, installed only when missing (CI runs as root on a fresh machine).
set -euo pipefail
packages=()
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || packages+=("$1"); }
need libicu72     # SqlClient and culture-aware text need ICU
need sqlite3      # inspecting the embedded database by hand
need chromium     # Playwright browser tests (Web Chat widget, admin portal)
need libopenblas-dev  # the trainer's matrix multiplications (libopenblas.so)
need nginx        # infra/validate.sh checks the compose load balancer's config with nginx -t
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${packages[*]} — install them with: sudo apt-get install ${packages[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
