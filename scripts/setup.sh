#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for `npm start` and `npm test`: the Debian
# packages, the npm packages, and code-server (into the git-ignored .tools/).
# Idempotent: on a prepared machine it re-checks and finishes in seconds, apart
# from `npm ci`. Runs as root, or uses sudo. Used by README.md and .ci/run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

# The browser and build tools that code-server's install needs, GnuCOBOL (the
# fixtures' oracle and the completion checks), and the model pipeline's
# PyTorch/NumPy/OpenBLAS, openssl (a self-signed certificate for the download
# security case, test/security), and matplotlib for the bench:router plot.
apt_packages=(
  chromium ripgrep libkrb5-dev pkg-config build-essential fonts-dejavu-core
  gnucobol3 openssl
  python3-torch python3-numpy libopenblas0-pthread
  python3-matplotlib
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

check_node() {
  command -v node >/dev/null || { echo "error: Node.js 20 (>= 20.19) is required and not installed." >&2; return 1; }
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "error: Node.js >= 20.19 is required, found $(node --version)." >&2; return 1; }
  echo "node $(node --version), npm $(npm --version)"
}

missing_packages() {
  local missing=()
  for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q 'install ok installed' || missing+=("${package}")
  done
  echo "${missing[@]:-}"
}

# Each phase prints its wall time, so CI logs show where the minutes go.
phase() {
  local name=$1; shift
  local started; started=$(date +%s)
  echo "::: ${name}"
  "$@"
  echo "::: ${name}: $(( $(date +%s) - started )) s"
}

install_debian_packages() {
  local missing; missing=$(missing_packages)
  if [ -z "${missing}" ]; then echo "Debian packages already installed."; return; fi
  echo "Installing: ${missing}"
  as_root apt-get -o DPkg::Lock::Timeout=600 update -q
  # shellcheck disable=SC2086
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends ${missing}
}

phase "check node" check_node
phase "Debian packages" install_debian_packages
phase "npm ci" npm ci --no-audit --no-fund
phase "code-server" node scripts/install-code-server.mjs
