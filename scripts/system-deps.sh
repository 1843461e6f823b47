#!/usr/bin/env bash
# The system libraries the portal needs beside Python packages. Installs them when it can
# (root with apt), otherwise stops and says exactly what to install.
#   libmagic1   upload content sniffing (python-magic)
#   pango       PDF reports (WeasyPrint)
#   fonts       readable PDFs (DejaVu)
#   cairo       SVG emblem uploads are rasterised with CairoSVG
#   chromium    browser tests only (Playwright drives Debian's /usr/bin/chromium)
#   poppler     tests only (pdftoppm renders a report page to PNG for the visual check)
#   nginx       tests only (tests/deploy runs the docker-compose nginx template in front of gunicorn)
#   npm         tests only (axe-core for the accessibility scan, pinned in tests/browser/axe/package-lock.json;
#               oidc-provider, the OpenID Provider the SSO tests sign in at, in tests/oidc/package-lock.json)
#   socat, iproute2  tests only (tests/deploy/test_multinode.py: nodes in network namespaces reach
#               the loopback PostgreSQL, Redis and S3 server through socat on a bridge)
#   libreoffice tests only (the Excel export must open in LibreOffice Calc headless, about 4 s)
set -euo pipefail

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libmagic.so.1 || missing+=(libmagic1)
have_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
have_lib libcairo.so.2 || missing+=(libcairo2)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${SKIP_BROWSER:-0}" != "1" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v pdftoppm >/dev/null; then missing+=(poppler-utils); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v libreoffice >/dev/null; then missing+=(libreoffice-calc-nogui); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx-light); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v npm >/dev/null; then missing+=(npm); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v socat >/dev/null; then missing+=(socat); fi
if [ "${SKIP_BROWSER:-0}" != "1" ] && [ ! -x /usr/sbin/ip ] && [ ! -x /sbin/ip ]; then missing+=(iproute2); fi

npm_packages() {
  # Test-only npm packages, exactly as locked; skipped when already installed at that version.
  [ "${SKIP_BROWSER:-0}" = "1" ] && return 0
  local root; root="$(cd "$(dirname "$0")/.." && pwd)"
  npm_locked "$root/tests/browser/axe" axe-core
  npm_locked "$root/tests/oidc" oidc-provider
}

npm_locked() {  # DIR PACKAGE: npm ci in DIR unless PACKAGE is installed there at the pinned version
  local dir="$1" name="$2"
  [ "$(node -p "require('$dir/node_modules/$name/package.json').version" 2>/dev/null)" \
    = "$(node -p "require('$dir/package.json').dependencies['$name']")" ] \
    || (cd "$dir" && npm ci --no-audit --no-fund --silent)
}

if [ ${#missing[@]} -eq 0 ]; then npm_packages; exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with:  sudo apt-get install ${missing[*]}"
  echo "(chromium, poppler-utils, libreoffice-calc-nogui and nginx-light are only needed for the tests; SKIP_BROWSER=1 skips them for make run)"
  exit 1
fi
npm_packages
