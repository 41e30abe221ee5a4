#!/usr/bin/env bash
# The admin's terminal and the joins. No terminal of the admin's enters
# a sandbox: under "run", "exec" and "shell" on a terminal, the service or
# command gets a pty of the sandbox's own devpts, relayed from outside,
# and TIOCSTI into it, or into a joined command's stdin reopened through
# /proc/PID/fd/0 once the admin has left, runs nothing in the admin's
# shell (bubblewrap's CVE-2017-5226 class). A join takes effect before the
# sandbox can see the joining process: a service that watches /proc with
# CAP_SYS_PTRACE never sees one with more capabilities than its own, nor
# reaches the host's / through /proc/PID/root of it (runc's CVE-2016-9962
# class). The terminals are real: an interactive shell on a pty of
# python3's pty module plays the admin's. Needs root, cc and python3;
# everything is under $TMP, plus /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

if ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP no python3 to give the helper a terminal"
        exit 0
fi

NAMES+=("$NAME-tty" "$NAME-race" "$NAME-grab" "$NAME-run")
BG_PID=
stop_background() {
        # only the helper this script started, by PID
        [ -n "$BG_PID" ] && kill -TERM "$BG_PID" 2>/dev/null && wait "$BG_PID" 2>/dev/null
        BG_PID=
}
trap 'stop_background; cleanup' EXIT

# the probes, read-only in the sandbox's own /tmp
PROBE_BIND=--bind-ro=$BIN:/tmp/bin

# on_tty STEP...: an administrator's interactive shell (sh -i) on a
# terminal of its own, without echo, driven by STEPs: "send:LINE" types LINE and a
# newline, "wait:TEXT" waits (up to 30 s) until the terminal has shown
# TEXT, "sleep:SECONDS" waits, "size:ROWSxCOLS" resizes the terminal.
# What the terminal showed is in $TMP/tty, carriage returns and the
# shells' prompts at the start of lines removed; TTY_RC is 1 when a wait
# timed out.
cat >"$TMP/on-tty.py" <<'EOF'
import fcntl, os, pty, select, struct, sys, termios, time

pid, fd = pty.fork()
if pid == 0:
    # without job control, which would write through the host's /dev/tty
    os.execve("/bin/sh", ["/bin/sh", "-i", "+m"], dict(os.environ, PS1="$ ", ENV=""))
# what is typed is not shown: what the terminal shows is output only
attrs = termios.tcgetattr(fd)
attrs[3] &= ~termios.ECHO
termios.tcsetattr(fd, termios.TCSANOW, attrs)
shown = b""

def pump(seconds):
    global shown
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if not select.select([fd], [], [], left)[0]:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        shown += data
    return True

def resize(rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

status = 0
resize(24, 80)
for step in sys.argv[1:]:
    kind, _, arg = step.partition(":")
    if kind == "send":
        os.write(fd, arg.encode() + b"\n")
    elif kind == "sleep":
        pump(float(arg))
    elif kind == "size":
        rows, cols = arg.split("x")
        resize(int(rows), int(cols))
    elif kind == "wait":
        end = time.monotonic() + 30
        while arg.encode() not in shown and time.monotonic() < end and pump(0.05):
            pass
        if arg.encode() not in shown:
            shown += b"\n[timed out waiting for " + arg.encode() + b"]\n"
            status = 1
            break
os.write(fd, b"exit\n")
end = time.monotonic() + 10
while time.monotonic() < end and pump(0.1) and not os.waitpid(pid, os.WNOHANG)[0]:
    pass
try:
    os.kill(pid, 9)
except ProcessLookupError:
    pass
sys.stdout.write(shown.decode(errors="replace").replace("\r", ""))
sys.exit(status)
EOF
on_tty() {
        timeout -k 5 120 python3 "$TMP/on-tty.py" "$@" >"$TMP/tty.raw" 2>&1
        TTY_RC=$?
        sed -E 's/^([$#] )+//' "$TMP/tty.raw" >"$TMP/tty"
        # the helper's messages are in there too
        : >"$TMP/err"
}
# shown_in FILE KEY: the value after "KEY " at the start of a line of FILE;
# shown KEY: in what the terminal showed
shown_in() {
        awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}
shown() {
        shown_in "$TMP/tty" "$1"
}
# started PID FILE: waits (up to 10 s) until the probe run by the helper
# PID reports "ready" in FILE
started() {
        local _
        for _ in $(seq 100); do
                grep -q '^ready ' "$2" && return 0
                alive "$1" || return 1
                sleep 0.1
        done
        return 1
}

HOST_PTS_DEV=$(stat -c %d /dev/pts/ptmx)
# the admin's terminal's modes, before and after each helper
STTY='stty -g >"$T/stty.before"'
STTY_AFTER='stty -g >"$T/stty.after"'
export T=$TMP

# --- (a) run on a terminal ---

begin "run on a terminal: the service's stdin is a pty of the sandbox's own devpts; TIOCSTI with CAP_SYS_ADMIN runs nothing in the admin's shell"
rm -f "$TMP/pushed-a"
on_tty "send:$STTY" \
        "send:$HELPER --name=$NAME-tty --state-root=$STATE --keep-caps=CAP_SYS_ADMIN $PROBE_BIND -- /tmp/bin/tty-push 'touch \$T/pushed-a'; echo \"ended-\$?-$TOKEN\"" \
        "wait:ended-0-$TOKEN" "sleep:0.5" "send:$STTY_AFTER; echo after-$TOKEN" "wait:after-$TOKEN"
cp "$TMP/tty" "$TMP/out"
RC=$TTY_RC
want stdin-tty yes
want own-devpts same
want tiocsti:fd0 "ok|EPERM|EIO"
want tiocsti:dev-tty "ok|EPERM|EIO"
[[ $(shown stdin-name) == /dev/pts/[0-9]* ]] || BAD+=("the service's stdin is named $(shown stdin-name), not /dev/pts/N")
[ "$(shown stdin-dev)" != "$HOST_PTS_DEV" ] || BAD+=("the service's stdin is on the host's devpts")
host "the admin's shell did not run the pushed line ($TMP/pushed-a)" absent "$TMP/pushed-a"
host "the admin's terminal is back in its modes" cmp -s "$TMP/stty.before" "$TMP/stty.after"
finish

begin "run on a terminal: the window size is the admin's at the start and follows it (SIGWINCH); the exit status is the command's"
on_tty "size:33x111" \
        "send:$HELPER --name=$NAME-tty --state-root=$STATE -- /bin/sh -c 'echo size1 \$(stty size | tr \" \" x); sleep 2; echo size2 \$(stty size | tr \" \" x); exit 7'; echo \"ended \$?\"" \
        "wait:size1" "sleep:0.5" "size:40x120" "wait:ended"
cp "$TMP/tty" "$TMP/out"
RC=$TTY_RC
want size1 33x111
want size2 40x120
want ended 7
finish

begin "run on a terminal, ended by SIGTERM: the admin's terminal is back in its modes, the status is 128+15"
on_tty "send:$STTY" \
        "send:timeout --foreground --preserve-status -s TERM 1 $HELPER --name=$NAME-tty --state-root=$STATE -- /bin/sleep 30; echo \"ended \$?\"" \
        "wait:ended" "send:$STTY_AFTER; echo after-$TOKEN" "wait:after-$TOKEN"
cp "$TMP/tty" "$TMP/out"
RC=$TTY_RC
want ended 143
host "the admin's terminal is back in its modes" cmp -s "$TMP/stty.before" "$TMP/stty.after"
finish

# stdin a pipe, stdout the terminal: the pipe is passed as it is
begin "run with stdin a pipe and stdout a terminal: stdin stays the pipe, stdout is the sandbox's pty"
on_tty "send:echo through-the-pipe | $HELPER --name=$NAME-tty --state-root=$STATE -- /bin/sh -c 'read l; echo got \$l; echo out \$(readlink /proc/\$\$/fd/1); echo outdev \$(stat -L -c %d /proc/\$\$/fd/1); echo in \$(stat -L -c %F /proc/self/fd/0 | tr \" \" _)'; echo \"ended \$?\"" \
        "wait:ended"
cp "$TMP/tty" "$TMP/out"
RC=$TTY_RC
want got through-the-pipe
want in fifo
want ended 0
[[ $(shown out) == /dev/pts/[0-9]* ]] || BAD+=("stdout is $(shown out), not the sandbox's pty")
[ -n "$(shown outdev)" ] && [ "$(shown outdev)" != "$HOST_PTS_DEV" ] || BAD+=("stdout is on the host's devpts")
finish

# sandboxctl run, as its service's user: the pty is the user's
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cat >"$PROFILES/$NAME-run.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody"><arg>/bin/true</arg></exec>
  <network mode="none"/>
</sandbox>
EOF
begin "sandboxctl run on a terminal, as nobody: the sandbox's pty, its user's, is the controlling terminal"
on_tty "send:SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER $SANDBOXCTL run --state-root=$STATE $NAME-run -- /bin/sh -c 'echo tty \$(tty); echo dev \$(stat -c %d \$(tty)); echo owner \$(stat -c %U \$(tty)); echo ctty \$(: </dev/tty && echo yes)'; echo \"ended \$?\"" \
        "wait:ended"
cp "$TMP/tty" "$TMP/out"
RC=$TTY_RC
want owner nobody
want ctty yes
want ended 0
[[ $(shown tty) == /dev/pts/[0-9]* ]] || BAD+=("tty says $(shown tty), not /dev/pts/N")
[ "$(shown dev)" != "$HOST_PTS_DEV" ] || BAD+=("the terminal is on the host's devpts")
finish

# --- (b) the join race ---

# A service that watches /proc as tightly as it can while the admin joins
# its sandbox, again and again; it has CAP_SYS_PTRACE, which lets it into
# /proc/PID/root of processes that are not its own. Without the default
# Landlock domain, which refuses that on its own (a joined process is in
# a domain of its own): the join's order is what is tested.
begin "join race: 200 joins; a service with CAP_SYS_PTRACE never sees a joining process with more capabilities, nor reaches the host's / through /proc/PID/root"
"$HELPER" --name="$NAME-race" --state-root="$STATE" --keep-caps=CAP_SYS_ADMIN,CAP_SYS_PTRACE --landlock-default=no \
        "$PROBE_BIND" -- \
        /tmp/bin/join-watch "$MARKER" </dev/null >"$TMP/out" 2>"$TMP/err" &
BG_PID=$!
RC=0
if ! started "$BG_PID" "$TMP/out"; then
        BAD+=("the watching service did not start")
else
        failed=0
        for _ in $(seq 200); do
                timeout -k 5 30 "$HELPER" --join="$NAME-race" -- /bin/true </dev/null >/dev/null 2>>"$TMP/join.err" ||
                        failed=$((failed + 1))
        done
        # one that lasts, so that the watcher has something to see
        timeout -k 5 30 "$HELPER" --join="$NAME-race" -- /bin/sleep 0.5 </dev/null >/dev/null 2>>"$TMP/join.err" ||
                failed=$((failed + 1))
        [ "$failed" -eq 0 ] || BAD+=("$failed joins failed: $(tail -n 3 "$TMP/join.err")")
fi
stop_background
# not one attempt means anything unless the watcher saw joined processes
[ "$(shown_in "$TMP/out" new-pids)" -gt 0 ] 2>/dev/null || BAD+=("the watcher saw no joined process")
want caps-beyond 0
want marker-reached 0
want marker-last "ENOENT|none"
finish

# --- (c) exec and shell on a terminal ---

# A service lying in wait: it takes /proc/PID/fd/0 of every joined
# command (a new session leader) that has a terminal there and, once that
# command has ended, pushes a line into it (without the default Landlock
# domain, which would keep it from the joined command's /proc/PID/fd).
begin "exec and shell on a terminal: the command's terminal is the sandbox's pty; a TIOCSTI into the joined shell's stdin after the admin left runs nothing on the host"
"$HELPER" --name="$NAME-grab" --state-root="$STATE" --keep-caps=CAP_SYS_ADMIN,CAP_SYS_PTRACE --landlock-default=no \
        "$PROBE_BIND" -- \
        /tmp/bin/tty-grab "touch $TMP/pushed-c" </dev/null >"$TMP/grab" 2>"$TMP/err" &
BG_PID=$!
rm -f "$TMP/pushed-c"
RC=0
started "$BG_PID" "$TMP/grab" || BAD+=("the service in wait did not start")
on_tty "send:$STTY" \
        "send:SANDBOX_HELPER=$HELPER $SANDBOXCTL exec $NAME-grab -- /bin/sh -c 'echo exec-tty \$(tty); echo exec-dev \$(stat -c %d /proc/self/fd/0)'; echo; echo \"exec-ended \$?\"" \
        "wait:exec-ended" "sleep:0.5" \
        "send:SANDBOX_HELPER=$HELPER $SANDBOXCTL shell $NAME-grab" "sleep:1" \
        "send:echo shell-tty \$(tty); echo shell-dev \$(stat -c %d /proc/self/fd/0); echo in-shell-\$((6 * 7))" "wait:in-shell-42" "sleep:0.5" \
        "send:exit" "sleep:1.5" \
        "send:$STTY_AFTER; echo after-$TOKEN" "wait:after-$TOKEN"
stop_background
cat "$TMP/tty" "$TMP/grab" >"$TMP/out"
RC=$TTY_RC
want exec-ended 0
# not one attempt means anything unless the service took a terminal
[ "$(shown_in "$TMP/grab" grabs)" -gt 0 ] 2>/dev/null || BAD+=("the service took no joined command's terminal")
want push "ok|EIO|EPERM"
for k in exec shell; do
        [[ $(shown $k-tty) == /dev/pts/[0-9]* ]] || BAD+=("$k: tty says $(shown $k-tty), not /dev/pts/N")
        [ -n "$(shown $k-dev)" ] && [ "$(shown $k-dev)" != "$HOST_PTS_DEV" ] ||
                BAD+=("$k: the terminal is on the host's devpts, or was not shown")
done
host "the admin's shell did not run the pushed line ($TMP/pushed-c)" absent "$TMP/pushed-c"
host "the admin's terminal is back in its modes" cmp -s "$TMP/stty.before" "$TMP/stty.after"
finish

done_testing
