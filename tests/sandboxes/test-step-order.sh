#!/usr/bin/env bash
# The plan is the order the helper takes its steps in: for profiles with
# binds, tmpfs, overlays, no network, a user namespace, no-exec paths,
# pre-start commands, a filter and Landlock rules, a root directory whose
# /tmp is a link, the sandbox is
# started for real with --debug ("sandboxctl run", so that the profile's
# compiled options reach the helper), and the steps its log names, for
# each process, come in the order --dry-run prints them for the same
# command line. Needs root; everything it writes is under $TMP, and its
# mounts are in a mount namespace of its own.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbord$$
. "$(dirname "$0")/lib.sh"
trap remove_sandbox_dirs EXIT

PROFILES=$TMP/profiles
mkdir -p "$PROFILES" "$TMP/data/rw" "$TMP/argv"

# what sandboxctl passes the helper, recorded, then the helper itself;
# sandboxctl clears the environment, so the paths are written in
cat >"$TMP/helper" <<EOF
#!/bin/sh
printf '%s\0' "\$@" >"$TMP/argv/last"
exec "$HELPER" "\$@"
EOF
chmod 0755 "$TMP/helper"

# profile LABEL BODY: a profile of this run, named $n
profile() {
        name "$1"
        printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <exec><arg>/bin/true</arg></exec>\n%s\n</sandbox>\n' \
                "$2" >"$PROFILES/$n.xml"
}

# steps FILE: "SECTION NAME" for each step of a plan, a name repeated
# right after itself once; the service's last two steps, which leave no
# line in the log (sandbox-helper(8), --debug), left out
plan_steps() {
        awk '/^the helper, on the host:$/ { s = "helper" } /^process 1, / { s = "init" }
             /^the service.s process:$/ { s = "service" }
             $1 ~ /^[0-9]+\.$/ && $2 != "system-calls" && $2 != "execve" {
                     if (!s) { print "unsectioned " $2; next }
                     if (s " " $2 != last) print s " " $2
                     last = s " " $2
             }' "$1"
}

# logged FILE PLAN: the steps of a --debug log, each under the section
# the plan has its name in ("unplanned" when it has none), then in each
# section's order, a name repeated right after itself once
logged_steps() {
        awk -v plan="$2" 'BEGIN { while ((getline l <plan) > 0) { split(l, f, " "); sec[f[2]] = f[1] } }
             $3 == "step" { n = $4; sub(/:$/, "", n); s = (n in sec) ? sec[n] : "unplanned"
                            if (n != last[s]) line[s] = line[s] s " " n "\n"; last[s] = n }
             END { printf "%s%s%s%s", line["unplanned"], line["helper"], line["init"], line["service"] }' "$1"
}

# order LABEL: starts profile $n with --debug, prints its plan for the
# same command line, and compares
order() {
        local what=$1 rc k
        rm -f "$TMP/argv/last"
        SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$TMP/helper timeout 60 \
                "$SANDBOXCTL" run --state-root="$STATE" --debug "$n" </dev/null >"$TMP/$n.out" 2>"$TMP/$n.log"
        rc=$?
        if [ "$rc" -ne 0 ] || [ ! -s "$TMP/argv/last" ]; then
                not_ok "$what: the sandbox starts, with --debug"
                diag "status $rc" "$(cat "$TMP/$n.log")"
                return
        fi
        ok "$what: the sandbox starts, with --debug"
        mapfile -d '' -t argv <"$TMP/argv/last"
        for ((k = 0; k < ${#argv[@]}; k++)); do
                [ "${argv[k]}" = -- ] && break
        done
        "$HELPER" "${argv[@]:0:k}" --dry-run "${argv[@]:k}" >"$TMP/$n.plan" 2>"$TMP/$n.plan.err"
        check "$what: --dry-run prints the plan of the same command line" test -s "$TMP/$n.plan"
        plan_steps "$TMP/$n.plan" >"$TMP/$n.planned"
        # a name in one section only: what the log says is then its own
        check "$what: each step name of the plan is one process's" \
                bash -c '[ -z "$(awk "{ print \$2 \" \" \$1 }" "$1" | sort -u | awk "{ print \$1 }" | uniq -d)" ] &&
                         ! grep -q "^unsectioned " "$1"' _ "$TMP/$n.planned"
        logged_steps "$TMP/$n.log" "$TMP/$n.planned" >"$TMP/$n.logged"
        if cmp -s "$TMP/$n.planned" "$TMP/$n.logged"; then
                ok "$what: the steps logged are the plan's, in its order ($(wc -l <"$TMP/$n.planned") steps)"
        else
                not_ok "$what: the steps logged are the plan's, in its order"
                diag "$(diff "$TMP/$n.planned" "$TMP/$n.logged")" "plan:" "$(cat "$TMP/$n.plan")" "log:" "$(cat "$TMP/$n.log")"
        fi
        for k in "${@:2}"; do
                check "$what: the plan and the log both have the step $k" \
                        bash -c 'grep -q " $2\$" "$0" && grep -q " $2\$" "$1"' "$TMP/$n.planned" "$TMP/$n.logged" "$k"
        done
}

profile binds "  <filesystem>
    <bind source=\"$TMP/data/rw\" target=\"/tmp/data/rw\" readonly=\"no\"/>
    <bind source=\"$TMP/data\" target=\"/tmp/data\"/>
    <tmpfs target=\"/mnt\" size=\"1M\" mode=\"0700\"/>
    <mask path=\"/etc/hostname\"/>
  </filesystem>
  <hostname>order.example</hostname>"
order "binds, tmpfs, overlays of /etc and /var, a mask, a host name" etc var join bind tmpfs mask hostname

profile tmpfs "  <filesystem><etc mode=\"tmpfs\"/><var mode=\"tmpfs\"/><tmp size=\"2M\"/></filesystem>
  <network mode=\"none\"/>
  <security><capabilities keep=\"CAP_CHOWN\"/></security>"
order "/etc and /var on tmpfs, no network, a capability kept" join network capabilities

profile userns "  <filesystem><etc mode=\"host\"/><var mode=\"tmpfs\"/></filesystem>
  <user-namespace mode=\"identity\"/>"
order "a user namespace of the service's own" init identity

profile userns-private "  <filesystem><etc mode=\"overlay\"/><var mode=\"overlay\"/>
    <bind source=\"$TMP/data\" target=\"/tmp/data\"/></filesystem>
  <network mode=\"none\"/>
  <user-namespace mode=\"private\"/>"
order "a user namespace with a range of its own, idmapped mounts, its own network" userns etc var join bind network identity

profile noexec "  <filesystem>
    <etc mode=\"host\"/><var mode=\"tmpfs\"/>
    <no-exec-path path=\"/\"/>
    <exec-path path=\"/usr\"/>
    <exec-path path=\"/bin\" optional=\"yes\"/>
    <exec-path path=\"/lib\" optional=\"yes\"/>
    <exec-path path=\"/lib64\" optional=\"yes\"/>
  </filesystem>"
order "no-exec paths, and exec paths below them" no-exec

profile hooks "  <filesystem><etc mode=\"host\"/><var mode=\"tmpfs\"/></filesystem>
  <security>
    <system-calls deny=\"mkdir mkdirat\" errno=\"EACCES\"/>
    <landlock><read-only path=\"/usr\"/></landlock>
  </security>
  <exec-start-pre><arg>/bin/true</arg></exec-start-pre>
  <exec-start-pre ignore-failure=\"yes\"><arg>/bin/false</arg></exec-start-pre>"
order "pre-start commands, Landlock rules and the profile's filter" exec-start-pre landlock seccomp

profile newprivs "  <filesystem><etc mode=\"host\"/><var mode=\"tmpfs\"/></filesystem>
  <security><no-new-privileges enabled=\"no\"/></security>"
order "new privileges allowed: Landlock and the filter first" landlock seccomp no_new_privs
# the walk's order, and the plan's: with new privileges allowed, the
# service's confinement comes before its capabilities
check "new privileges allowed: landlock and seccomp come before capabilities in the plan" \
        bash -c 'awk "\$1 == \"service\" { print \$2 }" "$0" | head -3 | tr "\n" " " | grep -qx "landlock seccomp capabilities "' \
        "$TMP/$n.planned"

# a root directory of the profile's whose /tmp is a symbolic link into
# /var: /etc and /var are put in place before /tmp, /run, /dev and /proc,
# which the plan reads from the directory as it is on the host
ROOT=$TMP/root
mkdir -p "$ROOT/usr" "$ROOT/etc" "$ROOT/var/tmp" "$ROOT/run" "$ROOT/dev" "$ROOT/proc"
ln -s var/tmp "$ROOT/tmp"
for l in bin lib lib64 sbin; do
        [ -L "/$l" ] && ln -s "$(readlink "/$l")" "$ROOT/$l"
done
if [ -L /bin ] && mount --bind /usr "$ROOT/usr" && mount --bind /etc "$ROOT/etc"; then
        profile rootdir "  <root type=\"directory\" path=\"$ROOT\"/>"
        order "a root directory whose /tmp is a link into /var: /etc and /var first" join tmpfs
        check "a root directory whose /tmp is a link into /var: join comes before tmpfs in the plan" \
                bash -c 'awk "\$1 == \"init\" { print \$2 }" "$0" | grep -m1 -x -e join -e tmpfs | grep -qx join' \
                "$TMP/$n.planned"
else
        skip "a root directory whose /tmp is a link into /var: /etc and /var first" "no merged /usr, or no bind mounts here"
fi

done_testing
