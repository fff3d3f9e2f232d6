#!/usr/bin/env bash
# Runs every test SpotCheck has. Some tests start a real Redis server, so this installs
# redis-server first when it is missing (Debian/Ubuntu, as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null; then
  echo "installing redis-server (needed by the Redis storage tests)"
  sudo_if_needed=""
  [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
  $sudo_if_needed apt-get update -qq
  $sudo_if_needed apt-get install -y -qq redis-server >/dev/null
fi

# The systemd unit's sandboxing is rated by systemd-analyze (tests/it/deploy.rs).
if ! command -v systemd-analyze >/dev/null; then
  echo "installing systemd (its systemd-analyze rates deploy/spotcheck@.service)"
  sudo_if_needed=""
  [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
  $sudo_if_needed apt-get update -qq
  $sudo_if_needed apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi

# Here a missing Redis (or systemd-analyze) fails the tests that need it; a bare `cargo test`
# skips and lists them instead.
export SPOTCHECK_TESTS_NEED_REDIS=1
export SPOTCHECK_TESTS_NEED_SYSTEMD=1
# Most tests wait on Telegram's pace, a clock or a socket, not on the CPU: two test threads per
# core keep the cores busy (on 2 cores the suite took 231 s with 2 threads, 157 s with 4).
export RUST_TEST_THREADS="${RUST_TEST_THREADS:-$(( 2 * $(nproc) ))}"
cargo test --locked "$@"
