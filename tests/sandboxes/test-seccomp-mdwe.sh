#!/usr/bin/env bash
# <memory-deny-write-execute/> and <address-families>, systemd's
# MemoryDenyWriteExecute= and RestrictAddressFamilies= in a profile, as
# the helper's own filter enforces them: a mapping both writable and
# executable, or made executable, fails with EPERM; a socket of a family
# not allowed with EAFNOSUPPORT; the same for a pre-start command and
# for a command joined to the running sandbox (sandboxctl exec, a
# reload); without the settings all of it works. A family the default
# filter refuses stays refused. The profile's names are checked with the
# line. Needs root and cc; runs in a mount namespace of its own, with
# everything under $TMP.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

SERVICE_PID=
mdwe_cleanup() {
        [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
        cleanup
}
trap mdwe_cleanup EXIT

FAMILIES=AF_UNIX,AF_INET,AF_INET6

# --- without the settings ---

HELPER_ARGS=()
begin "without the settings: a W+X mapping, mprotect() to PROT_EXEC and an AF_NETLINK socket work"
in_sandbox mdwe-families
want mmap-wx ok
want mprotect-x ok
want socket-netlink ok
want socket-inet ok
finish

# --- memory ---

HELPER_ARGS=(--memory-deny-write-execute)
begin "memory-deny-write-execute: mmap() W+X, mprotect() to PROT_EXEC and shmat() with SHM_EXEC fail with EPERM; R+W and R+X mappings work"
in_sandbox mdwe-families
want mmap-wx EPERM
want mprotect-x EPERM
want shmat-x EPERM
want mmap-rw ok
want mmap-rx ok
want mprotect-rw ok
want socket-netlink ok
finish

# --- address families ---

HELPER_ARGS=(--address-families="$FAMILIES")
begin "address-families allow $FAMILIES: AF_NETLINK and AF_PACKET fail with EAFNOSUPPORT, also with bits above the int set; AF_UNIX, AF_INET, AF_INET6 work"
in_sandbox mdwe-families
want socket-unix ok
want socket-inet ok
want socket-inet6 ok
want socket-netlink EAFNOSUPPORT
want socket-packet EAFNOSUPPORT
want socket-netlink-high EAFNOSUPPORT
want socketpair-unix ok
want socketpair-netlink EAFNOSUPPORT
# the default filter's rule for AF_VSOCK says EPERM; the allow-list's
# for every family above AF_INET6 EAFNOSUPPORT: either refuses
want socket-vsock "EPERM|EAFNOSUPPORT"
want mmap-wx ok
finish

HELPER_ARGS=(--address-families="$FAMILIES,AF_VSOCK")
begin "an allow-list that names AF_VSOCK does not loosen the default filter's rule: EPERM"
in_sandbox mdwe-families
want socket-vsock EPERM
want socket-inet ok
want socket-netlink EAFNOSUPPORT
finish

HELPER_ARGS=(--address-families="~AF_NETLINK,AF_PACKET")
begin "address-families deny AF_NETLINK AF_PACKET: those fail with EAFNOSUPPORT, AF_INET and AF_UNIX work"
in_sandbox mdwe-families
want socket-netlink EAFNOSUPPORT
want socket-netlink-high EAFNOSUPPORT
want socket-packet EAFNOSUPPORT
want socket-inet ok
want socket-unix ok
want socket-vsock EPERM
finish

HELPER_ARGS=(--seccomp-default=no --address-families=AF_INET,AF_INET6)
begin "without the default filter, an allow-list of AF_INET AF_INET6 alone: AF_UNIX and AF_VSOCK fail with EAFNOSUPPORT, an AF_UNIX pair still works"
in_sandbox mdwe-families
want socket-unix EAFNOSUPPORT
want socket-vsock EAFNOSUPPORT
want socket-inet ok
want socketpair-unix ok
finish

HELPER_ARGS=(--address-families=none)
begin "address-families none: every socket() fails with EAFNOSUPPORT (AF_VSOCK with the default's EPERM); an AF_UNIX pair works"
in_sandbox mdwe-families
want socket-unix EAFNOSUPPORT
want socket-inet EAFNOSUPPORT
want socket-inet6 EAFNOSUPPORT
want socket-netlink EAFNOSUPPORT
want socket-netlink-high EAFNOSUPPORT
want socket-vsock "EPERM|EAFNOSUPPORT"
want socketpair-unix ok
want socketpair-netlink EAFNOSUPPORT
finish

HELPER_ARGS=(--address-families=AF_BOGUS)
run_helper /bin/true
if [ "$RC" -ne 0 ] && grep -q -- '--address-families=AF_BOGUS: invalid value' "$TMP/err"; then
        ok "the helper refuses an unknown family before it builds anything (status $RC)"
else
        not_ok "the helper refuses an unknown family before it builds anything"
        diag "status $RC" "$(cat "$TMP/err")"
fi

# --- a pre-start command ---

HELPER_ARGS=(--memory-deny-write-execute --address-families="$FAMILIES"
        "--exec-start-pre=/bin/sh:-c:cat >/tmp/probe && chmod 0755 /tmp/probe && exec /tmp/probe")
begin "a pre-start command has the service's restrictions: EPERM for W+X, EAFNOSUPPORT for AF_NETLINK"
run_helper /bin/true <"$BIN/mdwe-families"
want mmap-wx EPERM
want mprotect-x EPERM
want mmap-rw ok
want socket-inet ok
want socket-netlink EAFNOSUPPORT
finish

# --- a command joined to the running sandbox ---

HELPER_ARGS=(--memory-deny-write-execute --address-families="$FAMILIES")
timeout -k 5 120 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 100 \
        </dev/null >"$TMP/service.out" 2>"$TMP/service.err" &
SERVICE_PID=$!
joined() {
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "${SHIP[@]}" "$@" <"$BIN/mdwe-families" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
for _ in $(seq 100); do
        joined && break
        sleep 0.1
done
begin "a joined command (sandboxctl exec, a reload) has the service's restrictions: EPERM for W+X, EAFNOSUPPORT for AF_NETLINK"
want mmap-wx EPERM
want mprotect-x EPERM
want mmap-rw ok
want socket-inet ok
want socket-netlink EAFNOSUPPORT
want socket-packet EAFNOSUPPORT
host "the sandbox (helper PID $SERVICE_PID) runs on" alive "$SERVICE_PID"
finish
kill "$SERVICE_PID" 2>/dev/null
wait "$SERVICE_PID" 2>/dev/null
SERVICE_PID=

# --- the profile ---

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
profile() {
        cat >"$PROFILES/$1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>exec /mnt/mdwe-families</arg></exec>
  <filesystem><bind source="$BIN" target="/mnt" readonly="yes"/></filesystem>
  <security>
    $2
  </security>
</sandbox>
XML
}

profile "$NAME" '<memory-deny-write-execute/>
    <address-families allow="AF_UNIX AF_INET AF_INET6"/>'
timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$NAME" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "a profile with <memory-deny-write-execute/> and <address-families allow=\"AF_UNIX AF_INET AF_INET6\"/>, run: both hold"
want mmap-wx EPERM
want mprotect-x EPERM
want socket-inet ok
want socket-netlink EAFNOSUPPORT
finish

profile "$NAME" '<address-families deny="AF_NETLINK AF_PACKET"/>'
timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$NAME" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "a profile with <address-families deny=\"AF_NETLINK AF_PACKET\"/>, run: those refused, the others work, memory as usual"
want socket-netlink EAFNOSUPPORT
want socket-packet EAFNOSUPPORT
want socket-inet ok
want mmap-wx ok
finish

profile "$NAME" '<address-families allow="none"/>'
timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$NAME" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "a profile with <address-families allow=\"none\"/>, run: no socket() at all"
want socket-unix EAFNOSUPPORT
want socket-inet EAFNOSUPPORT
want socket-netlink EAFNOSUPPORT
finish

profile "$NAME-bad" '<address-families allow="AF_UNIX AF_BOGUS"/>'
line=$(grep -n 'AF_BOGUS' "$PROFILES/$NAME-bad.xml" | cut -d: -f1)
timeout -k 5 60 "$SANDBOXCTL" validate "$PROFILES/$NAME-bad.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
if [ "$RC" -ne 0 ] && grep -q "$NAME-bad.xml:$line:.*unknown address family \"AF_BOGUS\"" "$TMP/err"; then
        ok "validate refuses an unknown address family, with its line ($line)"
else
        not_ok "validate refuses an unknown address family, with its line"
        diag "status $RC" "$(cat "$TMP/err")"
fi

profile "$NAME-bad" '<address-families allow="AF_UNIX" deny="AF_PACKET"/>'
timeout -k 5 60 "$SANDBOXCTL" validate "$PROFILES/$NAME-bad.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
if [ "$RC" -ne 0 ]; then
        ok "validate refuses allow= and deny= together (status $RC)"
else
        not_ok "validate refuses allow= and deny= together"
        diag "$(cat "$TMP/err")"
fi

profile "$NAME-bad" '<address-families allow=""/>'
timeout -k 5 60 "$SANDBOXCTL" validate "$PROFILES/$NAME-bad.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
if [ "$RC" -ne 0 ] && grep -q 'names no address family' "$TMP/err"; then
        ok "validate refuses an empty list"
else
        not_ok "validate refuses an empty list"
        diag "status $RC" "$(cat "$TMP/err")"
fi

mount_table_unchanged

done_testing
