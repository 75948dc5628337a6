#!/usr/bin/env bash
# Runs a command inside a private D-Bus session whose Secret Service is a fresh, unlocked
# gnome-keyring, so the real-keychain tests never touch the user's own keyring and never meet a
# keyring left by an earlier run (whose password would differ).
#
#   bash scripts/with-test-keyring.sh vitest run
#
# Inside, WFVAULT_TEST_KEYRING=1 tells the tests that a keychain is there to use.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

# macOS and Windows have no private keychain session to start: their system keychain is the one
# there is. A CI runner is thrown away after the run, so the real-keychain tests use it there; on a
# person's machine they skip rather than write to that person's keychain.
case "$(uname -s)" in
  Linux*) ;;
  *)
    if [ -n "${CI:-}" ]; then
      WFVAULT_TEST_KEYRING=1 exec "$@"
    fi
    echo "with-test-keyring: $(uname -s) has no private test keychain; real-keychain tests will skip (they run in CI)." >&2
    exec "$@"
    ;;
esac

missing=()
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ -n "${CI:-}" ]; then
    echo "with-test-keyring: ${missing[*]} not found; CI must run the real-keychain tests (apt-get install dbus gnome-keyring)." >&2
    exit 1
  fi
  echo "with-test-keyring: ${missing[*]} not found, so no test keyring: running the command as is (real-keychain tests will skip)." >&2
  exec "$@"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/wfvault-keyring.XXXXXX")"
case "$tmp" in
  *[[:space:]\"\'\\]*) echo "with-test-keyring: temp folder path '$tmp' has characters a D-Bus service file cannot carry; set TMPDIR." >&2; rm -rf "$tmp"; exit 1 ;;
esac
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/data" "$tmp/runtime" "$tmp/share" "$tmp/share/dbus-1" "$tmp/share/dbus-1/services"

# A password only this run knows; the daemon reads it again whenever D-Bus restarts it.
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/password"
chmod 600 "$tmp/password"

# The daemon gets its own keyrings folder (XDG_DATA_HOME) and control folder (XDG_RUNTIME_DIR);
# the command under test keeps the caller's XDG folders.
cat >"$tmp/keyring-daemon.sh" <<SCRIPT
#!/bin/sh
export XDG_DATA_HOME='$tmp/data' XDG_RUNTIME_DIR='$tmp/runtime'
exec gnome-keyring-daemon --foreground --unlock --components=secrets <'$tmp/password' >/dev/null 2>&1
SCRIPT
chmod 700 "$tmp/keyring-daemon.sh"

# Debian 12's daemon can die under many short-lived clients: D-Bus activation then starts this one
# again, unlocked with the same password, on the next call to the Secret Service.
cat >"$tmp/share/dbus-1/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$tmp/keyring-daemon.sh
SERVICE

# The session bus logs every activation (and, as root, a harmless fd-limit notice) to stderr;
# keep that out of the test output and show only failures, after the run.
cat >"$tmp/dbus-daemon.sh" <<SCRIPT
#!/bin/sh
exec dbus-daemon "\$@" 2>>'$tmp/dbus-daemon.log'
SCRIPT
chmod 700 "$tmp/dbus-daemon.sh"

status=0
XDG_DATA_DIRS="$tmp/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" WFVAULT_TEST_KEYRING=1 \
  dbus-run-session --dbus-daemon="$tmp/dbus-daemon.sh" -- sh -c '
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
    exec "$@"' sh "$@" || status=$?
if [ -f "$tmp/dbus-daemon.log" ]; then
  grep -i 'fail' "$tmp/dbus-daemon.log" | grep -v 'fd limit' | sed 's/^/with-test-keyring: /' >&2 || true
fi
exit "$status"
