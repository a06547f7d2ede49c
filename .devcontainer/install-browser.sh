#!/usr/bin/env bash
# Gives the HTML book's browser test a Chromium where the system has none. In the devcontainer (Ubuntu 24.04) the
# apt 'chromium' package is only a snap stub, so this uses the Playwright driver that the Microsoft.Playwright
# package ships to install its Chromium once into ~/.cache/ms-playwright. On Debian, `apt-get install chromium`
# is simpler; inside the trixie rootfs, .ci/run asks the rootfs script for it (LSTM_ROOTFS_PACKAGES).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for b in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null; then echo "install-browser: $b is already installed ($(command -v "$b"))"; exit 0; fi
done
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "install-browser: unsupported machine $(uname -m)" >&2; exit 1 ;; esac
dotnet build tests/Chapters.Tests -v quiet
driver=tests/Chapters.Tests/bin/Debug/net10.0/.playwright
"$driver/node/linux-$arch/node" "$driver/package/cli.js" install --with-deps chromium
