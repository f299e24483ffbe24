#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
# the PostgreSQL 15 server, Chromium + ChromeDriver (web chat tests), voikko (Finnish morphology).
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
ldconfig -p 2>/dev/null | grep -q libvoikko.so.1 || need+=(libvoikko1)
[ -d /usr/lib/voikko ] || [ -d /usr/share/voikko ] || need+=(voikko-fi)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
