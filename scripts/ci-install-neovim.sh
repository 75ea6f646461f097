#!/usr/bin/env bash
# Install Neovim (Debian's package) for scripts/nvim-lsp-test.sh, unless `nvim` is already there.
set -euo pipefail
if command -v nvim >/dev/null; then
  exit 0
fi
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends neovim
nvim --version | head -1
