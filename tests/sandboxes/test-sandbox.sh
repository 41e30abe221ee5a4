#!/usr/bin/env bash
# The sandbox the helper builds, probed from inside with ordinary tools:
# read-only host root, fresh /proc, /dev, /tmp, /run, read-only /sys,
# capabilities and no_new_privs, identity, host name, network, binds,
# tmpfs, masks, exit statuses, signals, zombies, the lock, --debug,
# --dry-run and failures; then each example profile through "sandboxctl
# run". Needs root; everything it writes is under $TMP, and it runs in a
# mount namespace of its own, where /run/systemd is one of $TMP's.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"


# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbtest$$
. "$(dirname "$0")/lib.sh"
# files the sandboxes write where a broken helper would let them reach
# the host: removed from the host at the end if they got there
HOST_PROBES=()

cleanup() {
        local p
        kill_bg_helpers
        for p in "${HOST_PROBES[@]}"; do
                [ -f "$p" ] && rm -f -- "$p"
        done
        remove_sandbox_dirs
}
trap cleanup EXIT

# wait_for_line FILE LINE [SECONDS]: waits until FILE has the line LINE
wait_for_line() {
        local i limit=$(( ${3:-20} * 20 ))
        for ((i = 0; i < limit; i++)); do
                grep -qxF -- "$2" "$1" 2>/dev/null && return 0
                sleep 0.05
        done
        return 1
}

# status_field FILE FIELD: the value of "FIELD:" in a saved /proc/PID/status
status_field() {
        awk -v f="$2:" '$1 == f { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' "$1"
}

# mount_of MOUNTINFO MOUNTPOINT: the topmost mount on MOUNTPOINT as
# "PER-MOUNT-OPTIONS FSTYPE SUPER-OPTIONS"; nothing when there is none
mount_of() {
        awk -v mp="$2" '$5 == mp {
                for (i = 7; $i != "-"; i++) ;
                line = $6 " " $(i + 1) " " $(i + 3)
        } END { if (line != "") print line }' "$1"
}

# has_opt "OPTIONS" OPTION: OPTIONS (comma-separated) contains OPTION
has_opt() {
        [[ ",$1," == *",$2,"* ]]
}

# one_line FILE: FILE has exactly one line
one_line() {
        [ "$(wc -l <"$1")" -eq 1 ]
}

# cap_mask CAP_NUMBER...: the /proc/PID/status hex mask of those capabilities
cap_mask() {
        local m=0 c
        for c in "$@"; do
                m=$((m | (1 << c)))
        done
        printf '%016x\n' "$m"
}

NOCAPS=$(cap_mask)
# CAP_NET_BIND_SERVICE is capability 10 (linux/capability.h)
NET_BIND=$(cap_mask 10)

# the host's name, for what the sandbox is to have by default
HOST_HOSTNAME=$(uname -n)

# ---------------------------------------------------------------------------
# the host's root is read-only, every submount too

name rofs
PROBE=.sandbox-probe-$n
sb "$n" -- /bin/sh -c '
        for d in / /usr /boot /usr/local/bin; do
                if e=$(touch "$d/$1" 2>&1); then echo "$d: written"; else echo "$d: $e"; fi
        done' sh "$PROBE"
check_eq "read-only root: the command runs (status 0)" "$rc" 0
for d in / /usr /boot /usr/local/bin; do
        line=$(grep "^$d: " "$TMP/out")
        if [[ $line == *"Read-only file system"* ]]; then
                ok "read-only root: creating a file in $d fails with EROFS"
        else
                not_ok "read-only root: creating a file in $d fails with EROFS"
                diag "got: ${line:-nothing}" "stderr: $(cat "$TMP/err")"
        fi
        # a helper that got it wrong must not leave the probe on the host
        [ -d "$d" ] && rm -f -- "${d%/}/$PROBE"
done

name mounts
sb "$n" --tmp-size=16M --run-size=8M -- /bin/cat /proc/self/mountinfo
cp "$TMP/out" "$TMP/mountinfo"
check_eq "mount table: the command runs (status 0)" "$rc" 0
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /)"
if has_opt "$opts" ro; then
        ok "mount table: / is read-only"
else
        not_ok "mount table: / is read-only"
        diag "/: ${opts:-no mount} $fstype"
fi
# Everything that is not one of the sandbox's own writable places must be
# read-only, in particular each host submount (/sys/fs/cgroup/*, ...).
writable=$(awk '{
        mp = $5
        if (mp ~ "^/(etc|var|tmp|run|dev|proc)(/|$)") next
        if (("," $6 ",") !~ /,ro,/) print mp " " $6
}' "$TMP/mountinfo")
if [ -z "$writable" ]; then
        ok "mount table: every mount outside /etc /var /tmp /run /dev /proc is read-only"
else
        not_ok "mount table: every mount outside /etc /var /tmp /run /dev /proc is read-only"
        diag "writable:" "$writable"
fi
# host submounts that the recursive bind must have brought along, read-only
missing=$(awk '$5 ~ "^/sys/fs/cgroup/" { print $5 }' /proc/self/mountinfo | while read -r mp; do
        [ -n "$(mount_of "$TMP/mountinfo" "$mp")" ] || echo "$mp"
done)
if [ -z "$(awk '$5 ~ "^/sys/fs/cgroup/"' /proc/self/mountinfo)" ]; then
        skip "mount table: the host's /sys/fs/cgroup submounts are there" "the host has none"
elif [ -z "$missing" ]; then
        ok "mount table: the host's /sys/fs/cgroup submounts are there (and read-only, above)"
else
        not_ok "mount table: the host's /sys/fs/cgroup submounts are there"
        diag "missing:" "$missing"
fi
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /tmp)"
check_eq "mount table: /tmp is a tmpfs" "$fstype" tmpfs
check "mount table: /tmp has size=16384k (--tmp-size=16M)" has_opt "$super" size=16384k
check "mount table: /tmp is writable" has_opt "$opts" rw
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /run)"
check_eq "mount table: /run is a tmpfs" "$fstype" tmpfs
check "mount table: /run has size=8192k (--run-size=8M)" has_opt "$super" size=8192k
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /etc)"
check_eq "mount table: /etc is an overlay (default --etc=overlay)" "$fstype" overlay
check "mount table: /etc is writable" has_opt "$opts" rw
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /var)"
check_eq "mount table: /var is an overlay (default --var=overlay)" "$fstype" overlay
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /proc)"
check_eq "mount table: /proc is a proc file system" "$fstype" proc
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /dev/shm)"
check_eq "mount table: /dev/shm is a tmpfs" "$fstype" tmpfs
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /dev/pts)"
check_eq "mount table: /dev/pts is a devpts" "$fstype" devpts
read -r opts fstype super <<<"$(mount_of "$TMP/mountinfo" /sys)"
if [ "$fstype" = sysfs ] && has_opt "$opts" ro; then
        ok "mount table: /sys is a read-only sysfs"
else
        not_ok "mount table: /sys is a read-only sysfs"
        diag "/sys: ${opts:-no mount} $fstype"
fi
# nothing is mounted inside at the state root or at the sandbox's own
# build directory
check_eq "mount table: nothing mounted at the state root or /run/sandbox inside" \
        "$(awk -v s="$STATE" '$5 == s || index($5, s "/") == 1 || $5 ~ "^/run/sandbox(/|$)" { print $5 }' "$TMP/mountinfo")" ""

# overlay upper layers are where the interface puts them
name upper
HOST_PROBES+=("/etc/sandbox-probe-$n" "/var/sandbox-probe-$n")
sb "$n" -- /bin/sh -c 'echo etc >"/etc/sandbox-probe-$1" && echo var >"/var/sandbox-probe-$1"' sh "$n"
check_eq "overlay: writing to /etc and /var works (status 0)" "$rc" 0
check "overlay: a file written to /etc is in STATE/NAME/etc/upper" \
        [ "$(cat "$STATE/$n/etc/upper/sandbox-probe-$n" 2>/dev/null)" = etc ]
check "overlay: a file written to /var is in STATE/NAME/var/upper" \
        [ "$(cat "$STATE/$n/var/upper/sandbox-probe-$n" 2>/dev/null)" = var ]
check "overlay: the work directories are STATE/NAME/etc/work and STATE/NAME/var/work" \
        [ -d "$STATE/$n/etc/work" -a -d "$STATE/$n/var/work" ]
check "overlay: the host's /etc and /var did not get the files" \
        [ ! -e "/etc/sandbox-probe-$n" -a ! -e "/var/sandbox-probe-$n" ]

# ---------------------------------------------------------------------------
# /proc shows the sandbox's processes only; the helper is PID 1

name proc
# builtins only, so that no other process of the command exists meanwhile
sb "$n" -- /bin/sh -c '
        for p in /proc/[0-9]*; do echo "pid ${p#/proc/}"; done
        echo "self $$"
        while read -r k v; do [ "$k" = PPid: ] && echo "ppid $v"; done </proc/$$/status
        true'
check_eq "/proc: the command runs (status 0)" "$rc" 0
self=$(awk '$1 == "self" { print $2 }' "$TMP/out")
pids=$(awk '$1 == "pid" { print $2 }' "$TMP/out" | sort -n | tr '\n' ' ')
expected=$(printf '%s\n' 1 "$self" | sort -n | tr '\n' ' ')
if [ -n "$self" ] && [ "$pids" = "$expected" ]; then
        ok "/proc: lists only PID 1 and the command itself"
else
        not_ok "/proc: lists only PID 1 and the command itself"
        diag "listed: $(echo $pids | head -c 300)" "expected: $expected"
fi
check_eq "/proc: the command's parent is PID 1" "$(awk '$1 == "ppid" { print $2 }' "$TMP/out")" 1

# PID 1 is the helper's own process, waiting for the command with no
# capability but CAP_KILL, no_new_privs and not dumpable (so that even a
# command that kept CAP_KILL cannot read its memory or environment)
name pid1
sb "$n" -- /bin/sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo "self $$"
        grep -E "^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs):" /proc/1/status
        cat /proc/1/environ >/dev/null 2>&1 && echo "environ readable" || echo "environ refused"'
read -r argv0 rest <<<"$(head -n 1 "$TMP/out")"
self=$(awk '$1 == "self" { print $2 }' "$TMP/out")
if [ "$rc" -eq 0 ] && [ "${argv0##*/}" = "${HELPER##*/}" ] && [ "$self" != 1 ]; then
        ok "/proc: PID 1 in the sandbox is the helper, waiting for the command"
else
        not_ok "/proc: PID 1 in the sandbox is the helper, waiting for the command"
        diag "status $rc, /proc/1/cmdline: $(head -n 1 "$TMP/out"), command: PID $self" "$(cat "$TMP/err")"
fi
check_eq "/proc: PID 1 holds CAP_KILL only (permitted, effective), none inheritable or ambient" \
        "$(status_field "$TMP/out" CapPrm) $(status_field "$TMP/out" CapEff) $(status_field "$TMP/out" CapInh) $(status_field "$TMP/out" CapAmb)" \
        "$(cap_mask 5) $(cap_mask 5) $NOCAPS $NOCAPS"
check_eq "/proc: PID 1 has no_new_privs" "$(status_field "$TMP/out" NoNewPrivs)" 1
check "/proc: PID 1 is not dumpable: its environment cannot be read, even by root in the sandbox" \
        grep -qx "environ refused" "$TMP/out"

name procsys
HOST_DOMAIN=$(cat /proc/sys/kernel/domainname)
sb "$n" -- /bin/sh -c 'echo sandbox-probe >/proc/sys/kernel/domainname'
if [ "$rc" -ne 0 ] && grep -q "Read-only file system" "$TMP/err"; then
        ok "/proc: /proc/sys is read-only (EROFS)"
else
        not_ok "/proc: /proc/sys is read-only (EROFS)"
        diag "status $rc: $(cat "$TMP/err")"
fi
check "/proc: the host's domain name is unchanged" [ "$(cat /proc/sys/kernel/domainname)" = "$HOST_DOMAIN" ]

# ---------------------------------------------------------------------------
# capabilities and no_new_privs, as the command itself sees them

CAPFIELDS='^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):'

name caps
sb "$n" -- /bin/grep -E "$CAPFIELDS" /proc/self/status
cp "$TMP/out" "$TMP/caps"
check_eq "caps: the command runs (status 0)" "$rc" 0
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
        v=$(status_field "$TMP/caps" "$f")
        if [ "$v" = "$NOCAPS" ]; then
                ok "caps: default: $f is empty"
        else
                not_ok "caps: default: $f is empty"
                diag "$f: ${v:-missing}"
        fi
done
check_eq "caps: default: NoNewPrivs is 1" "$(status_field "$TMP/caps" NoNewPrivs)" 1

name caps-keep
sb "$n" --keep-caps=CAP_NET_BIND_SERVICE -- /bin/grep -E "$CAPFIELDS" /proc/self/status
cp "$TMP/out" "$TMP/caps"
check_eq "caps: --keep-caps=CAP_NET_BIND_SERVICE as root: the command runs" "$rc" 0
for f in CapPrm CapEff CapBnd; do
        v=$(status_field "$TMP/caps" "$f")
        if [ "$v" = "$NET_BIND" ]; then
                ok "caps: --keep-caps=CAP_NET_BIND_SERVICE as root: $f is exactly that"
        else
                not_ok "caps: --keep-caps=CAP_NET_BIND_SERVICE as root: $f is exactly that"
                diag "$f: ${v:-missing}, expected $NET_BIND"
        fi
done

name caps-nobody
sb "$n" --user=nobody --keep-caps=CAP_NET_BIND_SERVICE -- /bin/grep -E "$CAPFIELDS" /proc/self/status
cp "$TMP/out" "$TMP/caps"
check_eq "caps: --keep-caps=CAP_NET_BIND_SERVICE --user=nobody: the command runs" "$rc" 0
for f in CapPrm CapEff CapBnd CapAmb; do
        v=$(status_field "$TMP/caps" "$f")
        if [ "$v" = "$NET_BIND" ]; then
                ok "caps: --keep-caps=CAP_NET_BIND_SERVICE --user=nobody: $f is exactly that"
        else
                not_ok "caps: --keep-caps=CAP_NET_BIND_SERVICE --user=nobody: $f is exactly that"
                diag "$f: ${v:-missing}, expected $NET_BIND"
        fi
done

name caps-nobody-none
sb "$n" --user=nobody -- /bin/grep -E "$CAPFIELDS" /proc/self/status
cp "$TMP/out" "$TMP/caps"
ok_all=yes
for f in CapPrm CapEff CapBnd CapAmb; do
        [ "$(status_field "$TMP/caps" "$f")" = "$NOCAPS" ] || ok_all=no
done
if [ "$rc" -eq 0 ] && [ "$ok_all" = yes ]; then
        ok "caps: --user=nobody without --keep-caps: no capability at all"
else
        not_ok "caps: --user=nobody without --keep-caps: no capability at all"
        diag "status $rc" "$(cat "$TMP/caps")"
fi

name caps-empty
sb "$n" --keep-caps= -- /bin/grep -E "$CAPFIELDS" /proc/self/status
check_eq "caps: --keep-caps= (empty): no capability" \
        "$rc $(status_field "$TMP/out" CapEff) $(status_field "$TMP/out" CapBnd)" "0 $NOCAPS $NOCAPS"

name caps-two
# CAP_CHOWN is capability 0
sb "$n" --keep-caps=CAP_NET_BIND_SERVICE,CAP_CHOWN -- /bin/grep -E "$CAPFIELDS" /proc/self/status
check_eq "caps: --keep-caps=CAP_NET_BIND_SERVICE,CAP_CHOWN: both and only those" \
        "$rc $(status_field "$TMP/out" CapEff) $(status_field "$TMP/out" CapBnd)" "0 $(cap_mask 10 0) $(cap_mask 10 0)"

name nnp
sb "$n" --allow-new-privileges -- /bin/grep -E "$CAPFIELDS" /proc/self/status
check_eq "caps: --allow-new-privileges: NoNewPrivs is 0" "$(status_field "$TMP/out" NoNewPrivs)" 0

# The kept capability works for a non-root user: a port below 1024.
if [ -x /usr/bin/python3 ]; then
        BIND80='import socket; s = socket.socket(); s.bind(("0.0.0.0", 80)); print("bound")'
        name bind80
        sb "$n" --network=none --user=nobody --keep-caps=CAP_NET_BIND_SERVICE -- /usr/bin/python3 -c "$BIND80"
        if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = bound ]; then
                ok "caps: nobody with CAP_NET_BIND_SERVICE binds port 80"
        else
                not_ok "caps: nobody with CAP_NET_BIND_SERVICE binds port 80"
                diag "status $rc: $(cat "$TMP/out" "$TMP/err")"
        fi
        name bind80-denied
        sb "$n" --network=none --user=nobody -- /usr/bin/python3 -c "$BIND80"
        if [ "$rc" -ne 0 ] && grep -q PermissionError "$TMP/err"; then
                ok "caps: nobody without CAP_NET_BIND_SERVICE cannot bind port 80"
        else
                not_ok "caps: nobody without CAP_NET_BIND_SERVICE cannot bind port 80"
                diag "status $rc: $(cat "$TMP/out" "$TMP/err")"
        fi
else
        skip "caps: nobody with CAP_NET_BIND_SERVICE binds port 80" "no /usr/bin/python3"
        skip "caps: nobody without CAP_NET_BIND_SERVICE cannot bind port 80" "no /usr/bin/python3"
fi

# ---------------------------------------------------------------------------
# host name

name hostname
sb "$n" --hostname=sandbox-probe.example -- /bin/uname -n
check_eq "hostname: --hostname=sandbox-probe.example is the sandbox's name" \
        "$rc $(cat "$TMP/out")" "0 sandbox-probe.example"
check "hostname: the host's name is unchanged" [ "$(uname -n)" = "$HOST_HOSTNAME" ]
name hostname-default
sb "$n" -- /bin/uname -n
check_eq "hostname: without --hostname the sandbox has the host's name" \
        "$rc $(cat "$TMP/out")" "0 $HOST_HOSTNAME"

# ---------------------------------------------------------------------------
# identity: user, group, supplementary groups, working directory

# IDPROBE prints "UID GID GROUPS..." of the command (groups sorted); a
# uid or gid whose real, effective, saved and file-system ids differ
# shows as "mixed:..."
IDPROBE=$(cat <<'EOF'
ids=$(awk '$1 == "Uid:" || $1 == "Gid:" {
        print (($2 == $3 && $3 == $4 && $4 == $5) ? $2 : "mixed:" $2 "," $3 "," $4 "," $5)
}' /proc/self/status | tr "\n" " ")
groups=$(awk '$1 == "Groups:" { for (i = 2; i <= NF; i++) print $i }' /proc/self/status | sort -n | tr "\n" " ")
echo "$ids${groups% }"
EOF
)

name id-root
sb "$n" -- /bin/sh -c "$IDPROBE"
check_eq "identity: default: uid 0, gid 0, no supplementary groups" "$rc $(cat "$TMP/out")" "0 0 0 "

nobody_uid=$(getent passwd nobody | cut -d: -f3)
nobody_gid=$(getent passwd nobody | cut -d: -f4)
name id-nobody
sb "$n" --user=nobody -- /bin/sh -c "$IDPROBE"
check_eq "identity: --user=nobody: nobody's uid and group, no supplementary groups" \
        "$rc $(cat "$TMP/out")" "0 $nobody_uid $nobody_gid "

if getent passwd daemon >/dev/null && getent group nogroup >/dev/null && getent group adm >/dev/null; then
        daemon_uid=$(getent passwd daemon | cut -d: -f3)
        nogroup_gid=$(getent group nogroup | cut -d: -f3)
        adm_gid=$(getent group adm | cut -d: -f3)
        groups=$(printf '%s\n' "$adm_gid" "$nogroup_gid" | sort -n | tr '\n' ' ')
        name id-daemon
        sb "$n" --user=daemon --group=nogroup --supplementary-groups=adm,nogroup -- /bin/sh -c "$IDPROBE"
        check_eq "identity: --user=daemon --group=nogroup --supplementary-groups=adm,nogroup" \
                "$rc $(cat "$TMP/out")" "0 $daemon_uid $nogroup_gid ${groups% }"
else
        skip "identity: --user=daemon --group=nogroup --supplementary-groups=adm,nogroup" "no daemon, nogroup or adm here"
fi

name id-numeric
sb "$n" --user=4321 --group=4322 -- /bin/sh -c "$IDPROBE"
check_eq "identity: numeric --user=4321 --group=4322" "$rc $(cat "$TMP/out")" "0 4321 4322 "

name workdir
sb "$n" --workdir=/usr/share -- /bin/sh -c 'pwd -P'
check_eq "identity: --workdir=/usr/share is the working directory" "$rc $(cat "$TMP/out")" "0 /usr/share"
name workdir-nobody
sb "$n" --user=nobody --workdir=/usr/lib -- /bin/sh -c 'pwd -P'
check_eq "identity: --workdir=/usr/lib with --user=nobody" "$rc $(cat "$TMP/out")" "0 /usr/lib"

# ---------------------------------------------------------------------------
# network

IP=$(command -v ip)
if [ -n "$IP" ]; then
        for mode in none private; do
                name net-$mode
                sb "$n" --network=$mode -- "$IP" -o link show
                links=$(awk -F': ' '{ print $2 }' "$TMP/out")
                if [ "$rc" -eq 0 ] && [ "$links" = lo ]; then
                        ok "network: --network=$mode has lo only"
                else
                        not_ok "network: --network=$mode has lo only"
                        diag "status $rc: $(cat "$TMP/out" "$TMP/err")"
                fi
                check "network: --network=$mode: lo is up" grep -q '^1: lo: <[^>]*\bUP\b' "$TMP/out"
        done
        host_links=$("$IP" -o link show | awk -F': ' '{ print $2 }' | sort)
        name net-host
        sb "$n" --network=host -- "$IP" -o link show
        check_eq "network: --network=host sees the host's interfaces" \
                "$rc $(awk -F': ' '{ print $2 }' "$TMP/out" | sort)" "0 $host_links"
        name net-default
        sb "$n" -- "$IP" -o link show
        check_eq "network: without --network the host's interfaces (default host)" \
                "$rc $(awk -F': ' '{ print $2 }' "$TMP/out" | sort)" "0 $host_links"
else
        for what in "--network=none has lo only" "--network=none: lo is up" \
                "--network=private has lo only" "--network=private: lo is up" \
                "--network=host sees the host's interfaces" "without --network the host's interfaces (default host)"; do
                skip "network: $what" "no ip (iproute2) on this machine"
        done
fi

# ---------------------------------------------------------------------------
# /dev

name dev
sb "$n" -- /bin/ls -A /dev
expected=$(printf '%s\n' null zero full random urandom tty ptmx pts shm fd stdin stdout stderr | LC_ALL=C sort)
if [ "$rc" -eq 0 ] && [ "$(LC_ALL=C sort "$TMP/out")" = "$expected" ]; then
        ok "/dev: exactly null zero full random urandom tty ptmx pts shm fd stdin stdout stderr"
else
        not_ok "/dev: exactly null zero full random urandom tty ptmx pts shm fd stdin stdout stderr"
        diag "status $rc, /dev has: $(tr '\n' ' ' <"$TMP/out")"
fi
name dev-block
sb "$n" -- /usr/bin/find /dev -type b
check_eq "/dev: no block device at all (the host has $(find /dev -type b | wc -l))" "$rc $(cat "$TMP/out")" "0 "
DEVS="/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty"
name dev-nodes
sb "$n" -- /usr/bin/stat -c '%n %F %t:%T' $DEVS
check_eq "/dev: null zero full random urandom tty are the host's device numbers" \
        "$rc $(cat "$TMP/out")" "0 $(stat -c '%n %F %t:%T' $DEVS)"
name dev-use
sb "$n" --user=nobody -- /bin/sh -c '
        echo data >/dev/null && echo "null $(head -c 10 /dev/null | wc -c)"
        echo "zero $(head -c 16 /dev/zero | tr -d "\0" | wc -c) $(head -c 16 /dev/zero | wc -c)"
        echo "urandom $(head -c 16 /dev/urandom | wc -c)"
        echo "full $(/bin/echo data 2>&1 >/dev/full)"'
check "/dev: /dev/null takes writes and reads empty (as nobody)" grep -qx 'null 0' "$TMP/out"
check "/dev: /dev/zero reads zeros" grep -qx 'zero 0 16' "$TMP/out"
check "/dev: /dev/urandom reads" grep -qx 'urandom 16' "$TMP/out"
check "/dev: writing to /dev/full fails with ENOSPC" grep -q '^full .*No space left on device' "$TMP/out"
if [ -x /usr/bin/python3 ]; then
        name dev-pts
        sb "$n" -- /usr/bin/python3 -c 'import os; m, s = os.openpty(); print(os.ttyname(s))'
        # a new devpts instance numbers its first pseudo-terminal 0
        check_eq "/dev: a pseudo-terminal opens as /dev/pts/0 (a devpts of its own)" \
                "$rc $(cat "$TMP/out")" "0 /dev/pts/0"
else
        skip "/dev: a pseudo-terminal opens as /dev/pts/0" "no /usr/bin/python3"
fi
name dev-shm
sb "$n" --user=nobody -- /bin/sh -c 'echo x >/dev/shm/probe && cat /dev/shm/probe'
check_eq "/dev: /dev/shm is writable by a user" "$rc $(cat "$TMP/out")" "0 x"
name dev-ro
sb "$n" -- /bin/sh -c 'touch /dev/probe 2>&1; true'
check "/dev: /dev itself is read-only (EROFS)" grep -q 'Read-only file system' "$TMP/out"

# ---------------------------------------------------------------------------
# /sys

name sys
sb "$n" -- /bin/sh -c 'touch /sys/probe 2>&1; mkdir /sys/fs/probe 2>&1; true'
if [ "$(grep -c 'Read-only file system' "$TMP/out")" -eq 2 ]; then
        ok "/sys: creating in /sys and /sys/fs fails with EROFS"
else
        not_ok "/sys: creating in /sys and /sys/fs fails with EROFS"
        diag "$(cat "$TMP/out" "$TMP/err")"
fi
# with a network of its own the sandbox's /sys shows only its interfaces
name sys-net
sb "$n" --network=none -- /bin/sh -c 'ls /sys/class/net; touch /sys/probe 2>&1; true'
check_eq "/sys: with --network=none /sys/class/net has lo only" "$rc $(grep -v '^touch' "$TMP/out")" "0 lo"
check "/sys: with --network=none /sys is read-only too (EROFS)" grep -q 'Read-only file system' "$TMP/out"

# ---------------------------------------------------------------------------
# masks

name mask-default
sb "$n" -- /bin/sh -c '
        for f in /etc/shadow /etc/gshadow; do
                if cat "$f" >/tmp/c 2>/dev/null; then echo "$f read $(wc -c </tmp/c) bytes"; else echo "$f unreadable"; fi
        done'
check "mask: /etc/shadow is unreadable" grep -qx '/etc/shadow unreadable' "$TMP/out"
check "mask: /etc/gshadow is unreadable" grep -qx '/etc/gshadow unreadable' "$TMP/out"
# even a capability that bypasses permissions shows none of the host's secret
name mask-dac
sb "$n" --keep-caps=CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH -- /bin/sh -c 'cat /etc/shadow /etc/gshadow; true'
check_eq "mask: with CAP_DAC_OVERRIDE /etc/shadow and /etc/gshadow read as empty" "$rc $(wc -c <"$TMP/out")" "0 0"

# SSH host keys: the host has none here, so give it one in a private mount
# namespace (an overlay on /etc whose upper layer is under $TMP).
mkdir -p "$TMP/etc-up" "$TMP/etc-work"
name mask-ssh
unshare -m --propagation private /bin/sh -c '
        mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/etc-up,workdir=$1/etc-work" /etc || exit 99
        mkdir -p /etc/ssh && echo secret >/etc/ssh/ssh_host_probe_key && echo public >/etc/ssh/ssh_host_probe_key.pub || exit 99
        shift
        exec timeout -k 5 60 "$@"' sh "$TMP" "$HELPER" --name="$n" --state-root="$STATE" -- /bin/sh -c '
                if cat /etc/ssh/ssh_host_probe_key 2>/dev/null; then echo "key readable"; else echo "key unreadable"; fi
                cat /etc/ssh/ssh_host_probe_key.pub' </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 99 ]; then
        skip "mask: /etc/ssh/*_key is unreadable" "cannot build a test /etc here"
        skip "mask: /etc/ssh/*_key.pub stays readable" "cannot build a test /etc here"
else
        check "mask: /etc/ssh/*_key is unreadable" grep -qx 'key unreadable' "$TMP/out"
        check "mask: /etc/ssh/*_key.pub stays readable" grep -qx 'public' "$TMP/out"
fi
check "mask: the host's /etc/ssh has no probe key" [ ! -e /etc/ssh/ssh_host_probe_key ]

MASKDIR=/usr/share/common-licenses
MASKFILE=/etc/hostname
if [ -d "$MASKDIR" ] && [ -f "$MASKFILE" ]; then
        name mask
        sb "$n" --mask="$MASKDIR" --mask="$MASKFILE" -- /bin/sh -c '
                if ls "$1" >/dev/null 2>&1; then echo "dir listable"; else echo "dir unlistable"; fi
                f=$(ls "$1" 2>/dev/null | head -n 1)
                if cat "$1/${f:-GPL-3}" >/dev/null 2>&1; then echo "dir file readable"; else echo "dir file unreadable"; fi
                if cat "$2" >/dev/null 2>&1; then echo "file readable"; else echo "file unreadable"; fi' sh "$MASKDIR" "$MASKFILE"
        check "mask: --mask=$MASKDIR: the directory cannot be listed" grep -qx 'dir unlistable' "$TMP/out"
        check "mask: --mask=$MASKDIR: its files cannot be read" grep -qx 'dir file unreadable' "$TMP/out"
        check "mask: --mask=$MASKFILE: the file cannot be read" grep -qx 'file unreadable' "$TMP/out"
        check "mask: the masked paths are still there on the host" [ -d "$MASKDIR" -a -s "$MASKFILE" ]
else
        for i in 1 2 3 4; do
                skip "mask: --mask of a directory and a file" "no $MASKDIR or $MASKFILE here"
        done
fi

# The state root is hidden even where the sandbox would otherwise see it:
# here it is put on /media (in a private mount namespace, so the host's
# /media is untouched).
if [ -d /media ]; then
        mkdir -p "$TMP/media"
        name state-hidden
        unshare -m --propagation private /bin/sh -c '
                mount --bind "$1" /media || exit 99
                shift
                exec timeout -k 5 60 "$@"' sh "$TMP/media" "$HELPER" --name="$n" --state-root=/media/state \
                -- /bin/sh -c 'if [ -e "/media/state/$1" ]; then echo visible; ls -A "/media/state/$1"; else echo hidden; fi' sh "$n" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = hidden ]; then
                ok "state root: STATE/NAME is not reachable from inside"
        else
                not_ok "state root: STATE/NAME is not reachable from inside"
                diag "status $rc: $(cat "$TMP/out" "$TMP/err")"
        fi
        check "state root: the upper layers were made under it nevertheless" [ -d "$TMP/media/state/$n/etc/upper" ]
else
        skip "state root: STATE/NAME is not reachable from inside" "no /media here"
        skip "state root: the upper layers were made under it nevertheless" "no /media here"
fi

# ---------------------------------------------------------------------------
# --bind, --bind-ro, --tmpfs

mkdir -p "$TMP/rw" "$TMP/ro"
echo host-data >"$TMP/ro/file"
name bind
HOST_PROBES+=("/srv/sandbox-probe-$n" "/media/sandbox-probe-$n")
sb "$n" --bind="$TMP/rw":/srv --bind-ro="$TMP/ro":/media -- /bin/sh -c '
        echo inside >"/srv/$1" && echo "rw ok"
        echo "ro $(cat /media/file)"
        touch "/media/$1" 2>&1 || true' sh "sandbox-probe-$n"
check_eq "bind: the command runs (status 0)" "$rc" 0
check "bind: a file written through --bind is on the host" [ "$(cat "$TMP/rw/sandbox-probe-$n" 2>/dev/null)" = inside ]
check "bind: --bind-ro shows the host's file" grep -qx 'ro host-data' "$TMP/out"
check "bind: writing through --bind-ro fails with EROFS" grep -q 'Read-only file system' "$TMP/out"
check "bind: nothing was written through --bind-ro" [ ! -e "$TMP/ro/sandbox-probe-$n" ]

name tmpfs
HOST_PROBES+=("/srv/sandbox-probe-$n")
sb "$n" --tmpfs=/run/app:4M:0750 --tmpfs=/srv:1M: -- /bin/sh -c '
        cat /proc/self/mountinfo >/run/app/mountinfo && cp /run/app/mountinfo "/srv/$1" && stat -c "mode %a" /run/app
        cat "/srv/$1"' sh "sandbox-probe-$n"
check_eq "tmpfs: the command runs and writes to both (status 0)" "$rc" 0
read -r opts fstype super <<<"$(mount_of "$TMP/out" /run/app)"
check_eq "tmpfs: --tmpfs=/run/app:4M:0750 is a tmpfs (made under /run)" "$fstype" tmpfs
check "tmpfs: --tmpfs=/run/app:4M:0750 has size=4096k" has_opt "$super" size=4096k
check "tmpfs: --tmpfs=/run/app:4M:0750 has mode 750" grep -qx 'mode 750' "$TMP/out"
read -r opts fstype super <<<"$(mount_of "$TMP/out" /srv)"
check_eq "tmpfs: --tmpfs=/srv:1M: is a tmpfs" "$fstype" tmpfs
check "tmpfs: --tmpfs=/srv:1M: has size=1024k" has_opt "$super" size=1024k
check "tmpfs: the host's /srv is untouched" [ ! -e "/srv/sandbox-probe-$n" ]

# ---------------------------------------------------------------------------
# NOTIFY_SOCKET: the service's sd_notify() reaches, through the helper's
# relay, a socket on the host below /run/systemd (here one of the test's)

if ! command -v systemd-notify >/dev/null; then
        skip "notify: READY=1 from inside reaches NOTIFY_SOCKET" "no systemd-notify here"
elif ! private_run_systemd "$TMP/run-systemd"; then
        skip "notify: READY=1 from inside reaches NOTIFY_SOCKET" "cannot bind a directory at /run/systemd"
else
        name notify
        NOTIFY=/run/systemd/notify.sock
        python3 - "$NOTIFY" >"$TMP/notify.got" <<'EOF' &
import array, os, socket, sys
# as systemd does: every message until the sender's barrier (BARRIER=1,
# with a pipe that is closed to answer it), so that the sender does not
# find the socket gone half-way
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
try:
    while True:
        msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds = array.array("i")
                fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                for fd in fds:
                    os.close(fd)
        print(msg.decode(), flush=True)
        if b"BARRIER=1" in msg.split(b"\n"):
            break
except socket.timeout:
    print("timeout")
EOF
        listener=$!
        for _ in $(seq 50); do [ -S "$NOTIFY" ] && break; sleep 0.1; done
        NOTIFY_SOCKET=$NOTIFY sb "$n" -- "$(command -v systemd-notify)" --ready --status=probe
        wait "$listener"
        check_eq "notify: systemd-notify inside exits 0" "$rc" 0
        check "notify: READY=1 from inside reaches the host's NOTIFY_SOCKET" grep -q 'READY=1' "$TMP/notify.got"
fi

# ---------------------------------------------------------------------------
# --root-directory: a root of the test's own, with only a shell and the
# libraries it needs, instead of the host's /

ROOTDIR=$TMP/rootdir
mkdir -p "$ROOTDIR"/{bin,etc,var,tmp,proc,dev,sys,run}
cp /bin/dash "$ROOTDIR/bin/sh"
for lib in $(ldd /bin/dash | grep -o '/[^ ]*'); do
        mkdir -p "$ROOTDIR$(dirname "$lib")"
        cp -L "$lib" "$ROOTDIR$lib"
done
echo "own root" >"$ROOTDIR/etc/marker"
name rootdir
sb "$n" --root-directory="$ROOTDIR" -- /bin/sh -c 'read -r m </etc/marker; echo "$m"
        [ -e /usr/bin/env ] && echo "host /usr seen" || echo "no host /usr"
        echo x >/bin/probe 2>/dev/null || echo "root read-only"
        echo y >/etc/probe && echo "etc writable"'
check_eq "root-directory: the command runs from the given root (status 0)" "$rc" 0
check_eq "root-directory: its /etc, none of the host's /usr, read-only, /etc an overlay" \
        "$(tr '\n' '|' <"$TMP/out")" "own root|no host /usr|root read-only|etc writable|"
check "root-directory: the root itself is unchanged" [ ! -e "$ROOTDIR/bin/probe" -a ! -e "$ROOTDIR/etc/probe" ]
check "root-directory: the sandbox's own /etc change is kept in the state root" [ -f "$STATE/$n/etc/upper/probe" ]

# Symbolic links in the root are resolved inside it, as the sandbox would
# see them: an absolute link from the root's own /, a relative one that
# climbs above it stops at it. Once with openat2(RESOLVE_IN_ROOT), once
# where openat2() answers ENOSYS (systemd's RestrictSUIDSGID=, kernels
# before 5.6) and the helper walks the path itself.
U=sandbox-test-$$
mkdir -p "$ROOTDIR/$U/www" "$ROOTDIR/escape" "$TMP/bindsrc"
ln -s "/$U" "$ROOTDIR/srv"
ln -s ../../../../../../.. "$ROOTDIR/up"
echo bound >"$TMP/bindsrc/file"
WALKERS=(direct)
# enosys: system calls made to answer ENOSYS, for the helper's ways
# around them
if command -v cc >/dev/null && cc -O2 -o "$TMP/enosys" "$SOURCE_ROOT/tests/enosys.c" 2>/dev/null; then
        WALKERS+=(walk)
else
        skip "root-directory: symlinks resolved without openat2()" "no C compiler for tests/enosys.c"
        skip "fds: inherited file descriptors kept from the service without close_range()" "no C compiler for tests/enosys.c"
fi
for how in "${WALKERS[@]}"; do
        name "symlinks-$how"
        wrap=()
        [ "$how" = walk ] && wrap=("$TMP/enosys" openat2)
        timeout -k 5 60 "${wrap[@]}" "$HELPER" --name="$n" --state-root="$STATE" --root-directory="$ROOTDIR" \
                --bind-ro="$TMP/bindsrc:/srv/www" --bind-ro="$TMP/bindsrc:/up/escape" --mask=/srv/www/file \
                -- /bin/sh -c "read -r a </$U/www/file 2>/dev/null && echo \"www \$a\"; read -r b </escape/file && echo \"escape \$b\"" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "root-directory ($how): a bind target through an absolute symlink lands in the root, and its mask too" \
                "$rc $(tr '\n' '|' <"$TMP/out")" "0 escape bound|"
        check "root-directory ($how): nothing was made or mounted outside the root" \
                [ ! -e "/$U" -a ! -e /escape -a -z "$(ls -A "$ROOTDIR/$U/www")" ]
done

# Inherited file descriptors: those beyond standard input, output and
# error stay with the helper; sockets systemd passes on (LISTEN_FDS) reach
# the service, with LISTEN_PID naming it. With close_range() and, as on
# kernels before 5.11, without it.
FD_HOWS=(close_range)
[ -x "$TMP/enosys" ] && FD_HOWS+=(without)
for how in "${FD_HOWS[@]}"; do
        name "fds-$how"
        wrap=()
        [ "$how" = without ] && wrap=("$TMP/enosys" close_range)
        # LISTEN_PID names the helper, as systemd sets it (the shell execs it)
        LISTEN_FDS=2 timeout -k 5 60 /bin/sh -c 'LISTEN_PID=$$ exec "$@"' sh "${wrap[@]}" "$HELPER" --name="$n" \
                --state-root="$STATE" -- \
                /bin/sh -c 'for f in 3 4 7; do [ -e /proc/$$/fd/$f ] && echo "fd $f"; done
                        [ "$LISTEN_PID" = $$ ] && echo "LISTEN_PID names the service"' \
                3</dev/null 4</dev/null 7</dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "fds ($how): the LISTEN_FDS sockets (3, 4) are passed on, fd 7 is not, LISTEN_PID is the service's" \
                "$rc $(tr '\n' '|' <"$TMP/out")" "0 fd 3|fd 4|LISTEN_PID names the service|"
done
# LISTEN_FDS with a LISTEN_PID that is not the helper's: a leftover, not
# sockets for this service
name fds-stale
LISTEN_FDS=2 LISTEN_PID=$$ timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" -- \
        /bin/sh -c 'for f in 3 4; do [ -e /proc/$$/fd/$f ] && echo "fd $f"; done; echo "${LISTEN_FDS:-unset}"' \
        3</dev/null 4</dev/null >"$TMP/out" 2>"$TMP/err"
check_eq "fds: LISTEN_FDS for another PID passes nothing on, and is unset" "$? $(tr '\n' '|' <"$TMP/out")" "0 unset|"

# The /etc and /var overlays: made by the helper's first process with
# fsopen() and handed to process 1, or, where fsopen() answers ENOSYS
# (kernels before 5.2), mounted by process 1 itself. Either way they are
# overlays whose upper layers are the state's.
OVERLAY_HOWS=(fsopen)
[ -x "$TMP/enosys" ] && OVERLAY_HOWS+=(mount)
for how in "${OVERLAY_HOWS[@]}"; do
        name "overlays-$how"
        wrap=()
        [ "$how" = mount ] && wrap=("$TMP/enosys" fsopen)
        timeout -k 5 60 "${wrap[@]}" "$HELPER" --name="$n" --state-root="$STATE" --etc=overlay --var=overlay -- \
                /bin/sh -c 'echo e >/etc/probe-'"$how"'; echo v >/var/probe-'"$how"'
                        awk '"'"'$5 == "/etc" || $5 == "/var" { print $5, $9 }'"'"' /proc/self/mountinfo' \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "overlays ($how): /etc and /var are overlays the service writes to" \
                "$rc $(tr '\n' '|' <"$TMP/out")" "0 /etc overlay|/var overlay|"
        check "overlays ($how): what it wrote is in the state's upper layers" \
                [ -f "$STATE/$n/etc/upper/probe-$how" -a -f "$STATE/$n/var/upper/probe-$how" ]
done

# ---------------------------------------------------------------------------
# --image, --image-ro, --block, --block-ro: a small ext4 image of this
# test's own, attached by the helper (image) or by the test (block)

IMG=$TMP/image.ext4
if ! command -v mkfs.ext4 >/dev/null || ! truncate -s 8M "$IMG" || ! mkfs.ext4 -q -F "$IMG" 2>/dev/null; then
        skip "image: --image mounts an ext4 image" "mkfs.ext4 cannot make a test image here"
else
        name image
        sb "$n" --image="$IMG":/mnt -- /bin/sh -c 'grep " /mnt " /proc/self/mountinfo; echo written >/mnt/probe && cat /mnt/probe'
        check_eq "image: --image runs the command (status 0)" "$rc" 0
        read -r opts fstype super <<<"$(mount_of "$TMP/out" /mnt)"
        check_eq "image: --image is mounted with the image's file system" "$fstype" ext4
        check "image: --image is writable" grep -qx written "$TMP/out"
        check "image: the loop device went with the sandbox" \
                bash -c '! losetup -j "$1" | grep -q .' _ "$IMG"

        name image-ro
        sb "$n" --image-ro="$IMG":/mnt -- /bin/sh -c 'cat /mnt/probe; echo x >/mnt/other'
        check "image: --image-ro shows what an earlier run wrote" grep -qx written "$TMP/out"
        check "image: --image-ro refuses writes (EROFS)" grep -q 'Read-only file system' "$TMP/err"
        # the image's root as e2fsprogs reads it: the first run's file, not the second's
        debugfs -R "ls -l /" "$IMG" >"$TMP/image-ls" 2>/dev/null
        check "image: nothing was written through --image-ro" \
                bash -c 'grep -qw probe "$1" && ! grep -qw other "$1"' _ "$TMP/image-ls"

        name image-bad
        sb "$n" --image=/etc/hostname:/mnt -- /bin/true
        check "image: a file without a file system: exit 125, one line naming it" \
                bash -c '[ "$1" -eq 125 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "no file system" "$2"' _ "$rc" "$TMP/err"

        LOOP=$(losetup -f --show "$IMG" 2>/dev/null)
        if [ -z "$LOOP" ]; then
                skip "block: --block-ro exposes a loop device as /dev/disk/by-tag/TAG" "no loop device could be attached"
        else
                base=${LOOP##*/}
                name block-ro
                sb "$n" --block-ro=data:"$LOOP" -- /bin/sh -c '
                        readlink /dev/disk/by-tag/data
                        stat -L -c "%F %a %t:%T" /dev/disk/by-tag/data
                        dd if=/dev/disk/by-tag/data bs=1024 skip=1 count=1 2>/dev/null | od -An -tx1 -j56 -N2
                        echo x >/dev/disk/by-tag/data || echo write refused'
                check_eq "block: /dev/disk/by-tag/data links to the device's own name" "$(sed -n 1p "$TMP/out")" "../../$base"
                check_eq "block: a read-only block node of mode 0440 with the device's numbers" "$(sed -n 2p "$TMP/out")" \
                        "block special file 440 $(stat -c '%t:%T' "$LOOP")"
                check_eq "block: the ext4 magic reads through the tag" "$(sed -n 3p "$TMP/out" | tr -d ' ')" 53ef
                check "block: --block-ro refuses to open it for writing" grep -qx 'write refused' "$TMP/out"

                name block
                sb "$n" --block=data:"$LOOP" -- /bin/sh -c 'stat -L -c "%a" /dev/disk/by-tag/data
                        dd if=/dev/disk/by-tag/data of=/dev/disk/by-tag/data bs=512 count=1 conv=notrunc 2>/dev/null && echo write ok'
                check_eq "block: --block makes a node of mode 0660 that can be written" "$(tr '\n' ' ' <"$TMP/out")" "660 write ok "
                losetup -d "$LOOP"
        fi
fi

# ---------------------------------------------------------------------------
# exit statuses

for c in "exit 0:0" "exit 7:7" "exit 255:255" 'kill -TERM $$:143' 'kill -KILL $$:137'; do
        name status-$(( ${c##*:} ))
        sb "$n" -- /bin/sh -c "${c%:*}"
        check_eq "exit status: '${c%:*}' gives ${c##*:}" "$rc" "${c##*:}"
done

# ---------------------------------------------------------------------------
# signals sent to the helper reach the service

mkdir -p "$TMP/sig"
name signals
sb_bg "$n" --bind="$TMP/sig":/srv -- /bin/sh -c '
        for s in USR1 USR2 HUP INT QUIT WINCH; do
                trap "echo $s >>/srv/got" $s
        done
        trap "echo TERM >>/srv/got; exit 0" TERM
        echo ready >/srv/ready
        while :; do sleep 0.1; done'
h=$bg
if wait_for "$TMP/sig/ready" 20; then
        for s in USR1 USR2 HUP INT QUIT WINCH; do
                kill -"$s" "$h"
                check "signals: SIG$s sent to the helper reaches the service" \
                        wait_for_line "$TMP/sig/got" "$s" 10
        done
        kill -TERM "$h"
        reap "$h" 20
        check "signals: SIGTERM sent to the helper reaches the service" grep -qx TERM "$TMP/sig/got"
        check_eq "signals: the helper exits with the service's status after SIGTERM (0)" "$rc" 0
else
        reap "$h" 1
        for s in USR1 USR2 HUP INT QUIT WINCH TERM; do
                not_ok "signals: SIG$s sent to the helper reaches the service"
        done
        not_ok "signals: the helper exits with the service's status after SIGTERM (0)"
        diag "the service never started: status $rc" "$(cat "$TMP/$n.err")"
fi

# a service that does not catch SIGTERM dies of it, and the status says so
mkdir -p "$TMP/sig2"
name sigterm-default
sb_bg "$n" --bind="$TMP/sig2":/srv -- /bin/sh -c 'echo ready >/srv/ready; exec /bin/sleep 60'
h=$bg
wait_for "$TMP/sig2/ready" 20
kill -TERM "$h"
reap "$h" 20
check_eq "signals: SIGTERM to the helper of an uncaught service: status 143" "$rc" 143

# ---------------------------------------------------------------------------
# orphans are reaped by the helper

name zombies
sb "$n" -- /bin/sh -c '
        # each subshell ends at once, leaving its sleep to PID 1
        orphans=
        for i in 1 2 3; do orphans="$orphans $( ( /bin/sleep 0.3 >/dev/null & echo $! ) )"; done
        for o in $orphans; do
                echo "parent $(sed -n "s/^PPid:[[:space:]]*//p" /proc/$o/status)"
        done
        sleep 1.5
        for o in $orphans; do [ -e /proc/$o ] && echo "left $o $(sed -n "s/^State:[[:space:]]*//p" /proc/$o/status)"; done
        for s in /proc/[0-9]*/status; do grep -q "^State:.*zombie" $s 2>/dev/null && echo "zombie $s"; done
        true'
check_eq "zombies: the command runs (status 0)" "$rc" 0
check_eq "zombies: orphans are re-parented to PID 1" "$(grep '^parent' "$TMP/out" | tr '\n' ' ')" "parent 1 parent 1 parent 1 "
if [ "$rc" -eq 0 ] && ! grep -q -e '^left' -e '^zombie' "$TMP/out"; then
        ok "zombies: exited orphans are reaped (none left as zombies)"
else
        not_ok "zombies: exited orphans are reaped (none left as zombies)"
        diag "$(cat "$TMP/out" "$TMP/err")"
fi

# ---------------------------------------------------------------------------
# the lock: one sandbox of a name at a time

mkdir -p "$TMP/lock"
name lock
sb_bg "$n" --bind="$TMP/lock":/srv -- /bin/sh -c 'echo ready >/srv/ready; while [ ! -e /srv/go ]; do sleep 0.05; done'
h=$bg
if wait_for "$TMP/lock/ready" 20; then
        check "lock: /run/sandbox/NAME/lock exists while the sandbox runs" [ -e "/run/sandbox/$n/lock" ]
        sb "$n" -- /bin/true
        check_eq "lock: a second start of the same name exits 125" "$rc" 125
        if one_line "$TMP/err" && grep -q "^sandbox-helper: $n: .*already running" "$TMP/err"; then
                ok "lock: ... with one line saying it is already running"
        else
                not_ok "lock: ... with one line saying it is already running"
                diag "stderr: $(cat "$TMP/err")"
        fi
        touch "$TMP/lock/go"
        reap "$h" 20
        check_eq "lock: the first sandbox was not disturbed (status 0)" "$rc" 0
        sb "$n" -- /bin/true
        check_eq "lock: the name starts again once the first one ended" "$rc" 0
else
        reap "$h" 1
        for what in "/run/sandbox/NAME/lock exists while the sandbox runs" "a second start of the same name exits 125" \
                "... with one line saying it is already running" "the first sandbox was not disturbed (status 0)" \
                "the name starts again once the first one ended"; do
                not_ok "lock: $what"
        done
        diag "the first sandbox never started: status $rc" "$(cat "$TMP/$n.err")"
fi

# ---------------------------------------------------------------------------
# --debug: every step of the plan, with its duration

mkdir -p "$TMP/debug"
name debug
DEBUG_OPTS=(--bind-ro="$TMP/debug":/srv --mask=/etc/hostname --user=nobody --keep-caps=CAP_CHOWN)
"$HELPER" --name="$n" --state-root="$STATE" "${DEBUG_OPTS[@]}" --dry-run -- /bin/echo hello >"$TMP/plan" 2>&1
# the plan's step names; execve ends the helper's own logging
steps=$(awk '$1 ~ /^[0-9]+\.$/ { print $2 }' "$TMP/plan" | grep -vx execve | awk '!seen[$0]++')
sb "$n" --debug "${DEBUG_OPTS[@]}" -- /bin/echo hello
check_eq "debug: the command runs, its output unchanged" "$rc $(cat "$TMP/out")" "0 hello"
# documented form: "sandbox-helper: NAME: step WORD: DURATION"
DURATION='[0-9]+(\.[0-9]+)? ?(ns|us|µs|ms|s)'
grep "^sandbox-helper: $n: step " "$TMP/err" >"$TMP/steps"
bad=$(grep -vE "^sandbox-helper: $n: step [a-z_]+: $DURATION\$" "$TMP/steps")
if [ -s "$TMP/steps" ] && [ -z "$bad" ]; then
        ok "debug: step lines read \"sandbox-helper: NAME: step WORD: DURATION\""
else
        not_ok "debug: step lines read \"sandbox-helper: NAME: step WORD: DURATION\""
        diag "stderr:" "$(cat "$TMP/err")"
fi
# each step of the plan is logged under its name in the plan
logged=$(sed -n "s/^sandbox-helper: $n: step \([a-z_]*\): .*/\1/p" "$TMP/steps")
missing=
for s in $steps; do
        grep -qx -- "$s" <<<"$logged" || missing="$missing $s"
done
if [ -n "$steps" ] && [ -z "$missing" ]; then
        ok "debug: every step of the plan is logged with its duration (${steps//$'\n'/ })"
else
        not_ok "debug: every step of the plan is logged with its duration"
        diag "plan: ${steps//$'\n'/ }" "logged: ${logged//$'\n'/ }" "not logged:$missing"
fi
name nodebug
sb "$n" -- /bin/echo hello
check_eq "debug: without --debug nothing on stderr" "$rc $(cat "$TMP/err")" "0 "

# ---------------------------------------------------------------------------
# --dry-run builds nothing

mkdir -p "$TMP/dry"
name dry-run
cp /proc/self/mountinfo "$TMP/mounts-before"
sb "$n" --dry-run --bind="$TMP/dry":/srv -- /usr/bin/touch /srv/ran
check "dry-run: exits 0 and prints the plan" [ "$rc" -eq 0 -a -s "$TMP/out" ]
check "dry-run: the command did not run" [ ! -e "$TMP/dry/ran" ]
check "dry-run: no state directory" [ ! -e "$STATE/$n" ]
check "dry-run: no /run/sandbox/NAME" [ ! -e "/run/sandbox/$n" ]
cp /proc/self/mountinfo "$TMP/mounts-after"
check_eq "dry-run: the mount table is unchanged" "$(diff "$TMP/mounts-before" "$TMP/mounts-after")" ""

# ---------------------------------------------------------------------------
# failures: 125 and one line before the command; 1 for a bad command line

# fails STATUS DESCRIPTION STEP-OR-EMPTY: the last run's status and stderr
fails_with() {
        local want=$1 what=$2
        if [ "$rc" -eq "$want" ] && one_line "$TMP/err" && grep -qE "^sandbox-helper: $n: [^:]+: .+" "$TMP/err"; then
                ok "failure: $what: status $want, one line \"sandbox-helper: NAME: step: why\""
        else
                not_ok "failure: $what: status $want, one line \"sandbox-helper: NAME: step: why\""
                diag "status $rc, stderr:" "$(cat "$TMP/err")"
        fi
}

mkdir -p "$TMP/fail"
name fail-bind
sb "$n" --bind="$TMP/fail":/media --bind="$TMP/missing":/srv -- /usr/bin/touch /media/ran
fails_with 125 "--bind of a missing source"
check "failure: the message names the missing source" grep -qF "$TMP/missing" "$TMP/err"
check "failure: the command did not run" [ ! -e "$TMP/fail/ran" ]

name fail-tmpfs
sb "$n" --tmpfs=/usr/"$n"/x:1M: -- /bin/true
fails_with 125 "--tmpfs under a missing directory of the read-only root"
check "failure: nothing was created in the host's /usr" [ ! -e /usr/"$n" ]

name fail-user
sb "$n" --user=no-such-user-"$$" -- /bin/true
fails_with 125 "--user of an unknown user"

name fail-workdir
sb "$n" --workdir=/no-such-dir-"$$" -- /bin/true
fails_with 125 "--workdir of a missing directory"

name fail-command
sb "$n" -- /no-such-command-$$
if [ "$rc" -eq 127 ] && one_line "$TMP/err" && grep -qF "/no-such-command-$$" "$TMP/err"; then
        ok "failure: a command that does not exist: status 127, one line naming it"
else
        not_ok "failure: a command that does not exist: status 127, one line naming it"
        diag "status $rc, stderr:" "$(cat "$TMP/err")"
fi

name fail-options
sb "$n" --network=bogus -- /bin/true
if [ "$rc" -eq 1 ] && one_line "$TMP/err" && grep -q '^sandbox-helper: ' "$TMP/err"; then
        ok "failure: an invalid option exits 1 with one line"
else
        not_ok "failure: an invalid option exits 1 with one line"
        diag "status $rc, stderr:" "$(cat "$TMP/err")"
fi
check "failure: an invalid option builds nothing" [ ! -e "$STATE/$n" -a ! -e "/run/sandbox/$n" ]

# ---------------------------------------------------------------------------
# sandboxctl run

export SANDBOX_HELPER=$HELPER
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cp -r "$EXAMPLES/." "$PROFILES/"
# the examples keep their names: clean up only what was not there before
for profile in "$PROFILES"/*.xml; do
        ex=${profile##*/}
        ex=${ex%.xml}
        [ -e "/run/sandbox/$ex" ] || NAMES+=("$ex")
done

timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$PROFILES/nightly-report.xml" -- /bin/sh -c 'exit 3' \
        </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "sandboxctl run: the exit status is the command's (3)" "$rc" 3

# without "-- CMD" the profile's own command runs
timeout -k 5 120 "$SANDBOXCTL" run --state-root="$STATE" "$PROFILES/nightly-report.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "sandboxctl run nightly-report: the profile's own command succeeds" "$rc" 0

# Each example whose program, users and groups exist here runs /bin/true.
# Missing bind sources are provided in a private mount namespace by a
# tmpfs on their (empty) parent, so that the host is untouched.
for profile in "$PROFILES"/*.xml; do
        ex=${profile##*/}
        ex=${ex%.xml}
        execstart=$("$SANDBOXCTL" show "$profile" 2>/dev/null | grep '^ExecStart=/' | tail -n 1)
        if [ -z "$execstart" ]; then
                not_ok "sandboxctl run $ex -- /bin/true"
                diag "sandboxctl show $ex gives no ExecStart="
                continue
        fi
        opts=${execstart%% -- *}
        cmd=${execstart#* -- }
        cmd=${cmd%% *}
        why=
        [ -x "$cmd" ] || why="$cmd is not installed"
        for o in $opts; do
                case $o in
                --user=*) getent passwd "${o#--user=}" >/dev/null || why="${why:-no user ${o#--user=}}" ;;
                --group=*) getent group "${o#--group=}" >/dev/null || why="${why:-no group ${o#--group=}}" ;;
                --supplementary-groups=*)
                        for g in ${o//,/ }; do
                                g=${g#--supplementary-groups=}
                                getent group "$g" >/dev/null || why="${why:-no group $g}"
                        done ;;
                esac
        done
        prepare=
        for o in $opts; do
                case $o in
                --bind=* | --bind-ro=*)
                        src=${o#*=}
                        src=${src%%:*}
                        [ -e "$src" ] && continue
                        parent=${src%/*}
                        if [ -d "$parent" ] && [ -z "$(ls -A "$parent")" ] && [ "$parent" != "" ]; then
                                prepare="$prepare mountpoint -q $parent || mount -t tmpfs -o size=1M tmpfs $parent || exit 99; mkdir -p $src || exit 99;"
                        else
                                why="${why:-bind source $src is missing}"
                        fi ;;
                esac
        done
        if [ -n "$why" ]; then
                skip "sandboxctl run $ex -- /bin/true" "$why"
                continue
        fi
        unshare -m --propagation private /bin/sh -c "$prepare"' exec timeout -k 5 60 "$@"' sh \
                "$SANDBOXCTL" run --state-root="$STATE" "$profile" -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        if [ "$rc" -eq 0 ]; then
                ok "sandboxctl run $ex -- /bin/true"
        else
                not_ok "sandboxctl run $ex -- /bin/true"
                diag "status $rc: $(cat "$TMP/err")"
        fi
done

done_testing
