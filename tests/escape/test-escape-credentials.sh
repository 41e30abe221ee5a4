#!/usr/bin/env bash
# The unit's credentials inside the sandbox ($CREDENTIALS_DIRECTORY), with
# a stand-in for what systemd makes: the helper copies the files of
# /run/credentials/sandbox@NAME.service to the same path inside, on a
# read-only tmpfs of the service's user, and takes nothing else; the
# state's key (sandbox-state-key) never, and with only it no directory
# and no $CREDENTIALS_DIRECTORY. The
# variable naming another path, the directory as a symbolic link or
# below a directory that is not root's, on a
# file system other than ramfs or tmpfs, writable by others, holding a
# FIFO, or more than 1 MiB: each refuses the sandbox (status 125), with
# the reason. The helper runs in a mount namespace of the test's own
# whose /run is a tmpfs, so nothing is made in the host's /run. Needs
# root and cc; everything it writes is under $TMP.
. "$(dirname "$0")/../escape-lib.sh"

REAL_HELPER=$HELPER
DIR=/run/credentials/sandbox@$NAME.service

# with_creds SETUP: the helper runs after the shell commands SETUP made
# the stand-in, in a private mount namespace with a fresh /run
with_creds() {
        printf '%s\n' "mount -t tmpfs -o mode=0755 escape-run /run || exit 99
mkdir -p /run/credentials || exit 99
$1" >"$TMP/creds-setup.sh"
        cat >"$TMP/creds-helper" <<SH
#!/bin/sh
exec unshare -m --propagation private /bin/sh -c '. "\$0" || exit 99; exec "\$@"' "$TMP/creds-setup.sh" "$REAL_HELPER" "\$@"
SH
        chmod 0755 "$TMP/creds-helper"
        HELPER=$TMP/creds-helper
}

# systemd's: a tmpfs of root's, mode 0500, files 0400
GOOD="mkdir $DIR && mount -t tmpfs -o mode=0500,size=1m escape-creds $DIR || exit 99
printf 'secret-token\n' >$DIR/token && chmod 0400 $DIR/token
printf 'hello' >$DIR/greeting && chmod 0400 $DIR/greeting"

NOBODY=$(id -u nobody 2>/dev/null)
if [ -z "$NOBODY" ]; then
        echo "1..0 # SKIP no user nobody on this machine"
        exit 0
fi

# --- systemd's directory: copied in, the service's, read-only ----------

with_creds "$GOOD"
HELPER_ARGS=(--user=nobody --group=nogroup)
begin "the credentials are read by the service (nobody) at \$CREDENTIALS_DIRECTORY, and nothing can be written there"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/sh -c '
        echo "env $([ "$CREDENTIALS_DIRECTORY" = "'"$DIR"'" ] && echo same || echo other)"
        echo "token $(cat "$CREDENTIALS_DIRECTORY/token" 2>/dev/null || echo unreadable)"
        echo "greeting $(cat "$CREDENTIALS_DIRECTORY/greeting" 2>/dev/null || echo unreadable)"
        echo "owner $(stat -c %u:%a "$CREDENTIALS_DIRECTORY" "$CREDENTIALS_DIRECTORY/token" | tr "\n" " " | sed "s/ \$//; s/ /,/")"
        ( echo x >"$CREDENTIALS_DIRECTORY/new" ) 2>/dev/null && echo "create done" || echo "create refused"
        ( echo x >>"$CREDENTIALS_DIRECTORY/token" ) 2>/dev/null && echo "append done" || echo "append refused"
        echo "mount $(awk -v d="$CREDENTIALS_DIRECTORY" "\$5 == d { split(\$6, o, \",\"); m = \$9 \":\" o[1] } END { print m }" /proc/self/mountinfo)"
        echo "others $(ls /run/credentials | wc -l)"'
want env same
want token secret-token
want greeting hello
want owner "$NOBODY:500,$NOBODY:400"
want create refused
want append refused
want mount tmpfs:ro
want others 1
finish

begin "as root inside, the credentials' mount is read-only (EROFS), nosuid, nodev, noexec"
HELPER_ARGS=()
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/sh -c '
        ( : >"$CREDENTIALS_DIRECTORY/new" ) 2>&1 | grep -q "Read-only file system" && echo "create erofs" || echo "create other"
        o=$(awk -v d="$CREDENTIALS_DIRECTORY" "\$5 == d { m = \$6 } END { print m }" /proc/self/mountinfo)
        case ",$o," in *,nosuid,*) ;; *) o=missing ;; esac
        case ",$o," in *,nodev,*) ;; *) o=missing ;; esac
        case ",$o," in *,noexec,*) ;; *) o=missing ;; esac
        echo "flags ${o%%,*}"'
want create erofs
want flags ro
finish

# the state's key (<state encryption="luks2">) is the helper's, read
# outside: never copied in, beside others or alone
with_creds "$GOOD
printf 'the-state-key-0123456789abcdef0123' >$DIR/sandbox-state-key && chmod 0400 $DIR/sandbox-state-key"
begin "the state's key among the credentials: the others are copied in, the key is not"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/sh -c '
        echo "token $(cat "$CREDENTIALS_DIRECTORY/token" 2>/dev/null || echo unreadable)"
        test -e "$CREDENTIALS_DIRECTORY/sandbox-state-key" && echo "key present" || echo "key absent"
        grep -rqs the-state-key /run /tmp && echo "bytes found" || echo "bytes nowhere"'
want token secret-token
want key absent
want bytes nowhere
finish

with_creds "mkdir $DIR && mount -t tmpfs -o mode=0500,size=1m escape-creds $DIR || exit 99
printf 'the-state-key-0123456789abcdef0123' >$DIR/sandbox-state-key && chmod 0400 $DIR/sandbox-state-key"
begin "the state's key the only credential: no credentials directory inside, and no CREDENTIALS_DIRECTORY"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/sh -c '
        test -e /run/credentials && echo "creds present" || echo "creds absent"
        echo "env ${CREDENTIALS_DIRECTORY:-unset}"'
want creds absent
want env unset
finish

# --- refused -----------------------------------------------------------

# refused DESCRIPTION MESSAGE: the last run failed to build the sandbox
# (125), its command never ran, and the helper said MESSAGE
refused() {
        begin "$1"
        EXPECT_RC=125
        grep -q -- "$2" "$TMP/err" || BAD+=("no \"$2\" in the helper's messages")
        grep -q ran "$TMP/out" && BAD+=("the command ran")
        finish
}

without_creds_dir() {
        HELPER=$REAL_HELPER
}

with_creds "$GOOD"
CREDENTIALS_DIRECTORY=/etc run_helper /bin/echo ran
refused "CREDENTIALS_DIRECTORY naming another path (/etc): refused, nothing of it read" \
        "CREDENTIALS_DIRECTORY=/etc is not this unit's, $DIR"

with_creds ""
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "the unit's directory missing: refused (ENOENT)" "credentials: $DIR: No such file or directory"

with_creds "mkdir /run/real && mount -t tmpfs -o mode=0500 escape-creds /run/real && echo x >/run/real/token && ln -s /run/real $DIR"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "the unit's directory a symbolic link (to a tmpfs of root's): refused (ELOOP), not followed" \
        "credentials: $DIR: Too many levels of symbolic links"

# systemd's own in every component: another user's /run/credentials
# could swap the unit's directory between the check and the copy
with_creds "mkdir -p $DIR && mount -t tmpfs -o mode=0700 escape-creds $DIR && echo x >$DIR/token && chown 65534 /run/credentials"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "/run/credentials another user's (the unit's directory a tmpfs of root's): refused (EPERM)" \
        "credentials: $DIR: Operation not permitted"

with_creds "mkdir $DIR && mount --bind /usr/share $DIR || exit 99"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "the unit's directory on another file system (a bind of /usr/share): refused" "is not a directory of systemd's"

with_creds "mkdir $DIR && mount -t tmpfs -o mode=0777 escape-creds $DIR || exit 99"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "the unit's directory writable by others: refused" "is not a directory of systemd's"

with_creds "mkdir $DIR && mount -t tmpfs -o mode=0500 escape-creds $DIR && mkfifo $DIR/fifo || exit 99"
SECONDS=0
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "a FIFO among the credentials: refused at once, not waited on" "credentials: fifo is not a regular file"
check "... within 10 s" [ "$SECONDS" -lt 10 ]

with_creds "mkdir $DIR && mount -t tmpfs -o mode=0500,size=4m escape-creds $DIR || exit 99
head -c 600000 /dev/zero >$DIR/a && head -c 600000 /dev/zero >$DIR/b"
CREDENTIALS_DIRECTORY=$DIR run_helper /bin/echo ran
refused "more than 1 MiB of credentials: refused (EFBIG)" "credentials: more than 1048576 bytes in all"

without_creds_dir
begin "without CREDENTIALS_DIRECTORY: no /run/credentials inside"
run_helper /bin/sh -c 'test -e /run/credentials && echo "creds present" || echo "creds absent"'
want creds absent
finish

mount_table_unchanged
done_testing
