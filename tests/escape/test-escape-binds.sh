#!/usr/bin/env bash
# Escapes through the profile's binds: a read-only bind of /, /var,
# /var/lib or /etc shows the host's tree again at another place, below
# which the masks' paths are not. The masks follow the bind: the host's
# password hashes, the private keys below /etc/ssh, the sandboxes' state
# (the one the helper was given and the default one), the host's /proc,
# /sys, /dev, /run, /tmp, /root and /home, and kernel interfaces mounted
# anywhere below the source are masked where the bind shows them, while
# the rest stays readable. A bind whose source is inside a mask, the
# state root or the host's kernel interfaces, as it resolves (symbolic
# links followed as the helper binds), is refused by the helper, and by
# sandboxctl validate with the line. What needs files of the test's own
# in /etc or /var/lib is made in a mount namespace of the test's own,
# never on the host. Needs root and cc; everything it writes is under
# $TMP, plus /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

REAL_HELPER=$HELPER

# with_ns SETUP: from now on the helper runs in a mount namespace of the
# test's own, after the shell commands SETUP ran there (exit 99 when they
# cannot); without_ns: as before
with_ns() {
        printf '%s\n' "$1" >"$TMP/ns-setup.sh"
        cat >"$TMP/ns-helper" <<EOF
#!/bin/sh
exec unshare -m --propagation private /bin/sh -c '. "\$0" || exit 99; exec "\$@"' "$TMP/ns-setup.sh" "$REAL_HELPER" "\$@"
EOF
        chmod 0755 "$TMP/ns-helper"
        HELPER=$TMP/ns-helper
}
without_ns() {
        HELPER=$REAL_HELPER
}

# The host as the sandboxes see it: an /etc with private keys below
# /etc/ssh (an overlay whose upper layer is under $TMP), a /var/lib with
# the default state root holding another sandbox's state (a tmpfs), and
# a kernel interface (a proc) mounted below a directory of the test's.
mkdir -p "$TMP/etc-up" "$TMP/etc-work" "$TMP/nested/proc" "$TMP/nested/data"
echo data >"$TMP/nested/data/file"
HOST_SETUP="mount -t overlay escape-etc -o lowerdir=/etc,upperdir=$TMP/etc-up,workdir=$TMP/etc-work /etc || exit 99
mkdir -p /etc/ssh/sub || exit 99
echo secret >/etc/ssh/sub/ssh_host_escape_key && chmod 0644 /etc/ssh/sub/ssh_host_escape_key
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n' >/etc/ssh/sub/id_escape && chmod 0644 /etc/ssh/sub/id_escape
echo secret >/etc/ssh/sub/escape-only-root && chmod 0600 /etc/ssh/sub/escape-only-root
echo config >/etc/ssh/sub/escape.conf && chmod 0644 /etc/ssh/sub/escape.conf
mount -t tmpfs escape-var-lib /var/lib || exit 99
mkdir -p /var/lib/sandbox/other/etc/upper /var/lib/keep || exit 99
echo other >/var/lib/sandbox/other/etc/upper/file && echo keep >/var/lib/keep/file
chmod 0700 /var/lib/sandbox
mount -t proc proc $TMP/nested/proc || exit 99"

# another sandbox's state below the state root the helper is given
mkdir -p "$STATE/other/etc/upper"
chmod 0700 "$STATE" "$STATE/other" "$STATE/other/etc"
echo "other's file" >"$STATE/other/etc/upper/file"

BINDS=(--etc=host --var=tmpfs --bind-ro=/:/tmp/host --bind-ro=/var:/tmp/v --bind-ro=/var/lib:/tmp/vl
        --bind-ro=/etc:/tmp/e --bind-ro="$TMP":/tmp/t --bind-ro="$TMP/nested":/tmp/n)
HIDDEN=(/tmp/host/etc/shadow /tmp/e/shadow /tmp/e/gshadow
        /tmp/host/etc/ssh/sub/ssh_host_escape_key /tmp/e/ssh/sub/ssh_host_escape_key /tmp/e/ssh/sub/id_escape
        /tmp/e/ssh/sub/escape-only-root
        /tmp/v/lib/sandbox /tmp/vl/sandbox /tmp/host/var/lib/sandbox /tmp/vl/sandbox/other/etc/upper/file
        /tmp/t/state /tmp/t/state/other/etc/upper/file
        /tmp/host/proc /tmp/host/proc/kcore /tmp/host/sys /tmp/host/dev /tmp/host/run /tmp/host/tmp
        /tmp/host/root /tmp/host/home /tmp/n/proc /tmp/n/proc/kcore)
SHOWN=(/tmp/e/passwd /tmp/host/etc/passwd /tmp/e/ssh/sub/escape.conf /tmp/vl/keep/file /tmp/host/usr/bin
        /tmp/n/data/file)
[ -e /var/backups/shadow.bak ] && HIDDEN+=(/tmp/v/backups/shadow.bak)

with_ns "$HOST_SETUP"
HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH "${BINDS[@]}")
begin "binds of /, /var, /var/lib, /etc and \$TMP: shadow, SSH keys, both state roots, /proc, /sys, /dev, /run, /tmp, /root, /home and a nested proc masked where the binds show them, even with CAP_DAC_OVERRIDE; the rest readable"
in_sandbox masked-paths "${HIDDEN[@]}" "${SHOWN[@]}"
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /etc and /var/lib here"
else
        for p in "${HIDDEN[@]}"; do
                # empty: the mask itself; ENOENT: below a masked directory
                want "read:$p" 'empty|ENOENT'
        done
        for p in "${SHOWN[@]}"; do
                want "read:$p" content
        done
        finish
fi

HELPER_ARGS=("${BINDS[@]}")
begin "the same, as root without capabilities: EACCES or ENOENT"
in_sandbox masked-paths "${HIDDEN[@]}"
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /etc and /var/lib here"
else
        want 'read:*' 'EACCES|ENOENT'
        finish
fi

# the masks of the sandbox's own paths still hold beside the binds
begin "the sandbox's own masks still hold: /etc/shadow, /proc/kcore, the state root"
in_sandbox masked-paths /etc/shadow /proc/kcore "$STATE"
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /etc and /var/lib here"
else
        want 'read:*' 'EACCES|ENOENT'
        finish
fi

# refused: a source inside what the sandbox hides, as it resolves
ln -s /etc/shadow "$TMP/link-shadow"
ln -s "$STATE/other" "$TMP/link-state"
ln -s ../../../../../../../../proc/self "$TMP/link-proc"
# refused_bind DESCRIPTION SOURCE: the helper refuses --bind-ro=SOURCE
refused_bind() {
        begin "bind of $1 refused by the helper (125), with the reason"
        HELPER_ARGS=(--etc=host --var=tmpfs --bind-ro="$2":/tmp/x)
        run_helper /bin/sh -c 'echo started'
        if [ "$RC" -eq 99 ]; then
                skip_attempt "$DESC" "cannot build a test /etc and /var/lib here"
                return
        fi
        EXPECT_RC=125
        host "it says no bind may show it" grep -q "source $2 .*no bind may show it" "$TMP/err"
        host "the service never started" test ! -s "$TMP/out"
        finish
}
refused_bind "/etc/shadow" /etc/shadow
refused_bind "/etc/gshadow-" /etc/gshadow-
refused_bind "another sandbox's state" "$STATE/other"
refused_bind "the state root itself" "$STATE"
refused_bind "/var/lib/sandbox/other (the default state root)" /var/lib/sandbox/other
refused_bind "a private key by its content" /etc/ssh/sub/id_escape
refused_bind "a key readable only by root" /etc/ssh/sub/escape-only-root
refused_bind "a key by its name" /etc/ssh/sub/ssh_host_escape_key
refused_bind "the host's /proc" /proc
refused_bind "the host's /sys" /sys
refused_bind "/sys/kernel" /sys/kernel
refused_bind "a proc mounted elsewhere (by its type)" "$TMP/nested/proc"
refused_bind "a symbolic link to /etc/shadow" "$TMP/link-shadow"
refused_bind "a symbolic link to another sandbox's state" "$TMP/link-state"
refused_bind "a symbolic link into /proc" "$TMP/link-proc"
refused_bind "/etc/mtab (a link into /proc)" /etc/mtab

begin "bind of a profile's own mask refused: --mask=/opt with --bind-ro=/opt/x"
mkdir -p "$TMP/opt"
HELPER_ARGS=(--etc=host --var=tmpfs --mask="$TMP/opt" --bind-ro="$TMP/opt":/tmp/x)
run_helper /bin/sh -c 'echo started'
EXPECT_RC=125
host "it says no bind may show it" grep -q "no bind may show it" "$TMP/err"
finish

begin "a bind of /etc/ssh: public files readable, the keys below it masked"
HELPER_ARGS=(--etc=host --var=tmpfs --keep-caps=CAP_DAC_OVERRIDE --bind-ro=/etc/ssh/sub:/tmp/ssh)
in_sandbox masked-paths /tmp/ssh/escape.conf /tmp/ssh/id_escape /tmp/ssh/ssh_host_escape_key /tmp/ssh/escape-only-root
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /etc here"
else
        want read:/tmp/ssh/escape.conf content
        want read:/tmp/ssh/id_escape empty
        want read:/tmp/ssh/ssh_host_escape_key empty
        want read:/tmp/ssh/escape-only-root empty
        finish
fi

# a root directory of the profile's own: its /etc/shadow is masked where
# a bind of a directory above it shows it
ROOTDIR=$TMP/rootdir
mkdir -p "$ROOTDIR/etc" "$ROOTDIR/usr" "$ROOTDIR/tmp" "$ROOTDIR/run" "$ROOTDIR/dev" "$ROOTDIR/proc" "$ROOTDIR/sys" \
        "$ROOTDIR/var"
ROOT_SETUP="$HOST_SETUP
mount --bind /usr $ROOTDIR/usr || exit 99"
for d in bin sbin lib lib32 lib64; do
        if [ -L "/$d" ]; then
                ln -s "$(readlink "/$d")" "$ROOTDIR/$d"
        elif [ -d "/$d" ]; then
                mkdir "$ROOTDIR/$d"
                ROOT_SETUP="$ROOT_SETUP
mount --bind /$d $ROOTDIR/$d || exit 99"
        fi
done
echo "root:x:0:0::/:/bin/sh" >"$ROOTDIR/etc/passwd"
echo "root:rootsecret:1:0:99999:7:::" >"$ROOTDIR/etc/shadow"
chmod 0640 "$ROOTDIR/etc/shadow"
with_ns "$ROOT_SETUP"
HELPER_ARGS=(--root-directory="$ROOTDIR" --etc=host --var=tmpfs --keep-caps=CAP_DAC_OVERRIDE --bind-ro="$TMP":/tmp/t)
begin "a root directory's own /etc/shadow masked where a bind of its parent shows it; its /etc/passwd not"
in_sandbox masked-paths /etc/shadow /tmp/t/rootdir/etc/shadow /tmp/t/rootdir/etc/passwd
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test root directory here"
else
        want read:/etc/shadow empty
        want read:/tmp/t/rootdir/etc/shadow empty
        want read:/tmp/t/rootdir/etc/passwd content
        finish
fi
without_ns

# sandboxctl validate: the source is known there, with its line
cat >"$TMP/binds.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <bind source="/var/lib/sandbox/other" target="/srv/a"/>
    <bind source="/etc/shadow" target="/srv/b"/>
    <bind source="/proc" target="/srv/c"/>
    <bind source="/sys/kernel/debug" target="/srv/d"/>
    <bind source="/etc/ssh/ssh_host_ed25519_key" target="/srv/e"/>
    <bind source="/srv/secret/x" target="/srv/f"/>
    <mask path="/srv/secret"/>
  </filesystem>
</sandbox>
EOF
"$SANDBOXCTL" validate "$TMP/binds.xml" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "validate refuses binds whose source is inside a mask, the state root or /proc or /sys, each with its line"
EXPECT_RC=1
for l in 5:/var/lib/sandbox 6:/etc/shadow 7:/proc 8:/sys 9:/etc/ssh 10:/srv/secret; do
        host "line ${l%%:*} names ${l#*:}" grep -q "binds.xml:${l%%:*}: <bind>: source \".*\" is inside ${l#*:}" "$TMP/out" "$TMP/err"
done
finish

cat >"$TMP/broad.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <bind source="/" target="/srv/host"/>
    <bind source="/var/lib" target="/srv/var-lib"/>
    <bind source="/dev/null" target="/srv/null"/>
  </filesystem>
</sandbox>
EOF
"$SANDBOXCTL" validate "$TMP/broad.xml" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "validate accepts binds of / and /var/lib (masked at start) and of a device"
finish

mount_table_unchanged
done_testing
