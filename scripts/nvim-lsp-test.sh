#!/usr/bin/env bash
# Neovim headless as a real LSP client of `iamlint lsp`: checks one diagnostic (code, line, column)
# and a hover on `s3:GetObject`. Installs nothing (CI runs scripts/ci-install-neovim.sh first).
#
# Parameters (environment):
#   IAMLINT_BIN     the binary (default: `cargo build` it, then test a private copy, so a shared
#                   target directory rebuilt by another checkout cannot swap it mid-test)
#   NVIM_LSP_FILE   the document to lint (default: a generated broken policy with `é😀` before the error)
#   NVIM_LSP_EXPECT "CODE LINE COL": a diagnostic that must be published; LINE is 1-based, COL is the
#                   1-based byte column (what Neovim stores; equal to `iamlint check -f concise` on
#                   ASCII lines). Default: "E000 4 42", the missing comma in the generated file, whose
#                   UTF-16 column 38 Neovim converts to byte 41 (0-based).
#                   When `missing-mfa` is on main, switch to the seed trust policy, e.g.
#                   NVIM_LSP_FILE=examples/developer-role/trust-policy.json NVIM_LSP_EXPECT="<CODE> 10 17"
#                   (take CODE/LINE/COL from `iamlint check -f concise` on that file).
#   NVIM_LSP_KEEP   set to keep the output file
set -euo pipefail
cd "$(dirname "$0")/.."

command -v nvim >/dev/null || { echo "nvim not found; run scripts/ci-install-neovim.sh" >&2; exit 2; }

work="$(mktemp -d)"
trap '[[ -n "${NVIM_LSP_KEEP:-}" ]] || rm -rf "$work"' EXIT
if [[ -z "${IAMLINT_BIN:-}" ]]; then
  # Ask cargo where it put the binary: the target directory may be configured anywhere.
  built="$(cargo build --quiet --bin iamlint --message-format=json |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)"
  cp "${built:?cargo did not report the iamlint executable}" "$work/iamlint"
  IAMLINT_BIN="$work/iamlint"
fi
IAMLINT_BIN="$(realpath "$IAMLINT_BIN")"

if [[ -z "${NVIM_LSP_FILE:-}" ]]; then
  NVIM_LSP_FILE="$work/broken.json"
  printf '{\n  "Statement": [\n    {\n      "Sid": "é😀", "Effect": "Allow" "Action": ["s3:GetObject"],\n      "Resource": "*"\n    }\n  ]\n}\n' >"$NVIM_LSP_FILE"
  NVIM_LSP_EXPECT="${NVIM_LSP_EXPECT:-E000 4 42}"
fi
: "${NVIM_LSP_EXPECT:?set NVIM_LSP_EXPECT=\"CODE LINE COL\" for NVIM_LSP_FILE}"
read -r want_code want_line want_col <<<"$NVIM_LSP_EXPECT"

hover_file="$work/read.json"
cat >"$hover_file" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::example-reports/*"
    }
  ]
}
JSON

out="$work/nvim-lsp.out"
export IAMLINT_BIN NVIM_LSP_FILE NVIM_LSP_HOVER_FILE="$hover_file" NVIM_LSP_OUT="$out"
status=0
timeout 60 nvim --headless -n -i NONE --noplugin -u scripts/nvim-lsp-test.lua >"$work/nvim.log" 2>&1 || status=$?

echo "--- Neovim saw (${NVIM_LSP_FILE}):"
cat "$out" 2>/dev/null || true
fail=0
if [[ $status -ne 0 ]]; then
  echo "FAIL: nvim exited with $status"; cat "$work/nvim.log"; fail=1
fi
if ! awk -v c="$want_code" -v l="$want_line" -v k="$want_col" \
  '$1 == "diag" && $2 == c && $3 == l && $4 == k { found = 1 } END { exit !found }' "$out" 2>/dev/null; then
  echo "FAIL: no diagnostic $want_code at line $want_line, column $want_col"; fail=1
fi
if ! grep -q '^hover .*Access level: \*\*Read\*\*' "$out" 2>/dev/null; then
  echo "FAIL: the hover on s3:GetObject does not say its access level is Read"; fail=1
fi
[[ $fail -eq 0 ]] && echo "OK: Neovim $(nvim --version | head -1 | cut -d' ' -f2) got $want_code at $want_line:$want_col and the hover"
exit $fail
