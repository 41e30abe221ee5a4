#!/usr/bin/env bash
# The record of the sandboxes' MCS categories (STATE_ROOT/.selinux-mcs,
# "NAME cA,cB" lines; lib/core/mcs-record.c): sandboxctl delete takes a
# sandbox's line out once its state is gone, under the record's lock, so
# that the pair is free again. Here the kernel has no SELinux (where it
# has, tests/vm/checks-selinux.sh), so the helper records nothing and the
# test writes the record, as the helper would at a first start; the
# sandboxes' state is real, made by the helper. Checked: a deleted
# sandbox's line goes and no other line changes; a running sandbox's
# delete is refused and its line stays; a line without state or runtime
# directory (a start killed before it made the state) is deleted alone;
# a clone gets no line of the source's (its own comes at its first
# start); concurrent deletes lose no line; a delete waits for the lock; a
# line cut short is dropped; a record that is a symbolic link, writable
# by others, malformed, with a pair twice or too large is not used: the
# delete fails after the state is gone, keeps the runtime directory and
# the record as they were, and a second delete finishes once the record
# is fixed. Needs root; everything is under $TMP, but /run/sandbox/NAME
# for this run's own names; its mounts in a mount namespace of its own.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbmcs$$
. "$(dirname "$0")/lib.sh"
trap 'kill_bg_helpers; remove_sandbox_dirs' EXIT

if [ "$(stat -f -c %T /sys/fs/selinux 2>/dev/null)" = selinuxfs ]; then
        echo "1..0 # SKIP SELinux is enabled here: the helper writes the record (tests/vm/checks-selinux.sh)"
        exit 0
fi

REC=$STATE/.selinux-mcs
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
# delete --force is not used: no bus is asked
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus

# ctl ARG...: sandboxctl on this test's state; status in $rc, output in
# $TMP/out and $TMP/err
ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# made NAME: a sandbox NAME with state (overlays of /etc and /var) and a
# profile, run once by the helper
made() {
        name "$1"
        cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$n">
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
EOF
        sb "$n" --etc=overlay --var=overlay -- /bin/sh -c 'echo kept >/var/kept'
        [ "$rc" -eq 0 ] && [ -d "$STATE/$n/var" ] || diag "state of $n not made: $rc $(cat "$TMP/err")"
}

# record LINE...: the record, as the helper writes it (root's, 0600)
record() {
        printf '%s\n' "$@" >"$REC.tmp" && chmod 0600 "$REC.tmp" && mv "$REC.tmp" "$REC"
}

made a; A=$n
made b; B=$n
made c; C=$n
name gone; GONE=$n
name never; NEVER=$n
check "the helper recorded no categories (no SELinux)" test ! -e "$REC"

record "$A c1,c2" "$B c3,c700" "$GONE c5,c6" "other c7,c8"
ctl delete --state-root="$STATE" "$A"
check_eq "delete: status 0" "$rc" 0
check "... its state is gone" test ! -e "$STATE/$A"
check_eq "... its line is gone, the others are as they were" "$(cat "$REC")" "$B c3,c700
$GONE c5,c6
other c7,c8"
check "... and it says the pair is free" grep -qF "sandbox $A's MCS categories c1,c2 are free" "$TMP/err"
check_eq "... the record is still root's, 0600, a regular file" "$(stat -c '%U %a %F' "$REC")" "root 600 regular file"
check "... no temporary file is left" test ! -e "$REC.new"

# a line of a name that has neither state nor runtime directory: a start
# killed before it made the state
ctl delete --state-root="$STATE" "$GONE"
check_eq "delete of a name with only its line: status 0, the line gone" \
        "$rc $(grep -c "^$GONE " "$REC")" "0 0"
ctl delete --state-root="$STATE" "$NEVER"
check_eq "delete of a name with nothing at all: refused (status 1), record unchanged" \
        "$rc $(cat "$REC")" "1 $B c3,c700
other c7,c8"
check "... it says there is no state" grep -q "has no state" "$TMP/err"

# a running sandbox keeps its line
sb_bg "$B" --etc=overlay --var=overlay -- /bin/sleep 60
helper_b=$bg
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$B/lock" 2>/dev/null)" = "$helper_b" ] && break
        sleep 0.05
done
ctl delete --state-root="$STATE" "$B"
check_eq "delete of a running sandbox: refused (status 1), its state and line kept" \
        "$rc $(test -d "$STATE/$B/var" && echo state) $(grep -c "^$B c3,c700$" "$REC")" "1 state 1"
kill -TERM "$helper_b"
reap "$helper_b"

# clone: the copy gets no line, the source's stays
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$B" "$B-copy"
NAMES+=("$B-copy")
check_eq "clone: status 0; the record has no line of the clone, the source's as it was" \
        "$rc $(cat "$REC")" "0 $B c3,c700
other c7,c8"
ctl delete --state-root="$STATE" "$B-copy"
check_eq "... the clone's delete: status 0, the source's line stays" "$rc $(cat "$REC")" "0 $B c3,c700
other c7,c8"

# a delete waits for the record's lock
record "$B c3,c700" "$C c30,c31"
flock -x "$REC" sleep 1.5 &
holder=$!
sleep 0.3
timeout -k 5 60 "$SANDBOXCTL" delete --state-root="$STATE" "$C" </dev/null >"$TMP/out" 2>"$TMP/err" &
del=$!
sleep 0.6
during="$(kill -0 "$del" 2>/dev/null && echo waiting) $(test -e "$STATE/$C" && echo state) $(grep -c "^$C " "$REC")"
wait "$del"
rc=$?
wait "$holder"
check_eq "a delete waits, its state gone, while another holds the record's lock" "$during" "waiting  1"
check_eq "... then takes the line out: status 0" "$rc $(cat "$REC")" "0 $B c3,c700"
made c2; C2=$n

# concurrent deletes, each renaming a new record over the one the next
# has locked: none loses another's change
lines=("$B c3,c700")
many=()
for i in 1 2 3 4 5 6; do
        made "m$i"
        many+=("$n")
        lines+=("$n c$((20 + i)),c$((40 + i))")
done
record "${lines[@]}"
pids=()
for m in "${many[@]}"; do
        timeout -k 5 60 "$SANDBOXCTL" delete --state-root="$STATE" "$m" </dev/null >/dev/null 2>"$TMP/err.$m" &
        pids+=($!)
done
st=0
for p in "${pids[@]}"; do wait "$p" || st=$?; done
check_eq "six deletes at once: all status 0, only the bystander's line is left" "$st $(cat "$REC")" "0 $B c3,c700"

# a line cut short (a write that did not end) is dropped with the next
# rewrite
printf '%s\n%s\n%s' "$C2 c9,c10" "$B c3,c700" "cut c11,c1" >"$REC"
chmod 0600 "$REC"
ctl delete --state-root="$STATE" "$C2"
check_eq "a line without its newline is dropped by the next delete's rewrite" "$rc $(cat "$REC")" "0 $B c3,c700"

# records that are not used: the state goes, the line and the runtime
# directory stay, the delete says so; fixed, a second delete finishes
bad_record() {
        local what=$1
        made "bad"
        case $what in
        symlink)
                printf '%s\n' "$n c12,c13" >"$TMP/elsewhere"
                rm -f "$REC"
                ln -s "$TMP/elsewhere" "$REC" ;;
        writable)
                record "$n c12,c13"
                chmod 0622 "$REC" ;;
        malformed)
                record "$n c12,c13" "garbage line" ;;
        twice)
                record "$n c12,c13" "x c12,c13" ;;
        spaced)
                record "$n c12,c13" "y  c14,c15" ;;
        zeros)
                record "$n c12,c13" "y c014,c15" ;;
        large)
                record "$n c12,c13"
                head -c $((5 << 20)) /dev/zero | tr '\0' '\n' >>"$REC" ;;
        esac
        before=$(sha256sum <"$REC" 2>/dev/null; stat -c '%F %a' "$REC")
        mkdir -p "/run/sandbox/$n"
        ctl delete --state-root="$STATE" "$n"
        after=$(sha256sum <"$REC" 2>/dev/null; stat -c '%F %a' "$REC")
        if [ "$rc" -eq 1 ] && [ ! -e "$STATE/$n" ] && [ -d "/run/sandbox/$n" ] && [ "$before" = "$after" ] &&
                grep -qF "its MCS categories are still recorded" "$TMP/err"; then
                ok "a record $what: not used; the state is gone, the record and the runtime directory are kept, and it says so"
        else
                not_ok "a record $what: not used; the state is gone, the record and the runtime directory are kept, and it says so"
                diag "status $rc" "$(cat "$TMP/err")"
        fi
        [ "$what" = symlink ] &&
                check_eq "... the link's target is as it was" "$(cat "$TMP/elsewhere")" "$n c12,c13"
        record "$n c12,c13" "$B c3,c700"
        ctl delete --state-root="$STATE" "$n"
        check_eq "... fixed, a second delete finishes: status 0, the line and the runtime directory gone" \
                "$rc $(cat "$REC") $(test -e "/run/sandbox/$n" && echo run)" "0 $B c3,c700 "
}
for what in symlink writable malformed twice spaced zeros large; do
        bad_record "$what"
done

done_testing
