#!/usr/bin/env bash
# Gives the HTML book's browser test a Chromium where the system has none (the trixie rootfs gets Debian's chromium
# from run-in-trixie-rootfs.sh itself). On Debian, as root, it installs the chromium package. In the devcontainer
# (Ubuntu 24.04) apt's 'chromium' is only a snap stub, so there it uses the Playwright driver that the
# Microsoft.Playwright package ships to install its Chromium once into ~/.cache/ms-playwright.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for b in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null; then echo "install-browser: $b is already installed ($(command -v "$b"))"; exit 0; fi
done
if [[ -r /etc/os-release ]] && grep -q '^ID=debian' /etc/os-release && [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core
  exit 0
fi
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "install-browser: unsupported machine $(uname -m)" >&2; exit 1 ;; esac
dotnet build tests/Chapters.Tests -v quiet
driver=tests/Chapters.Tests/bin/Debug/net10.0/.playwright
"$driver/node/linux-$arch/node" "$driver/package/cli.js" install --with-deps chromium
