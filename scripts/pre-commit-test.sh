#!/usr/bin/env bash
# The real `pre-commit` tool runs our hook from this repository (`pre-commit try-repo`): it must fail
# on the seed trust policy (alice may assume the role without MFA) and pass on the MFA-requiring one.
# Installs pre-commit into a throwaway venv; pre-commit itself builds iamlint (`language: rust`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.7.0"
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$(mktemp -d)}"
# pre-commit builds the hook with `cargo install` (the release profile). This test checks the hook's
# behaviour, not its speed, so build it quickly.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=0
run() { "$venv/bin/pre-commit" try-repo . iamlint --verbose --files "$@"; }

if run examples/developer-role/trust-policy.json >"$PRE_COMMIT_HOME/bad.log" 2>&1; then
  cat "$PRE_COMMIT_HOME/bad.log"
  echo "pre-commit passed on the seed trust policy; it must fail (missing MFA)" >&2
  exit 1
fi
grep -q "missing-mfa\|S106" "$PRE_COMMIT_HOME/bad.log" || { cat "$PRE_COMMIT_HOME/bad.log"; echo "no missing-mfa finding" >&2; exit 1; }
echo "pre-commit fails on the seed trust policy, as it should:"
grep -E "trust-policy.json:[0-9]+:[0-9]+:" "$PRE_COMMIT_HOME/bad.log"

if ! run examples/developer-role/trust-policy-mfa.json >"$PRE_COMMIT_HOME/good.log" 2>&1; then
  cat "$PRE_COMMIT_HOME/good.log"
  echo "pre-commit failed on the MFA-requiring trust policy; it must pass" >&2
  exit 1
fi
echo "pre-commit passes on the MFA-requiring trust policy"
