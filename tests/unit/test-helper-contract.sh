#!/usr/bin/env bash
# The helper's command-line contract: every example profile's ExecStart=,
# as sandboxctl shows it, is accepted by the build's helper and planned as
# the profile says; bad options are refused before anything runs; without
# --dry-run this version refuses to start the service.
. "$(dirname "$0")/../tap.sh"
# the interpreter itself, not a wrapper script that finds it at every call
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3
# debug output would add lines to the messages checked below
unset SANDBOX_DEBUG

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cp -r "$EXAMPLES/." "$PROFILES/"
# and one whose values need quoting or escaping on the way to the helper
cat >"$PROFILES/awkward.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="1000" workdir="/srv/with space">
    <arg>/usr/bin/printf</arg>
    <arg>%s $HOME ${X} 100%% $$</arg>
    <arg>say "hi" it's</arg>
    <arg>back\slash\</arg>
    <arg>tab&#9;here</arg>
    <arg>;</arg>
    <arg></arg>
    <arg>&#252;n&#239;code</arg>
  </exec>
  <filesystem>
    <bind source="/srv/a:b" target="/srv/c\d" readonly="no"/>
    <tmpfs target="/run/x y" mode="755"/>
    <mask path="/etc/with space"/>
  </filesystem>
  <network mode="none"/>
</sandbox>
EOF
# and a daemon that forks, which the helper waits for as --forking says
cat >"$PROFILES/forking.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/sbin/daemonizing-server</arg></exec>
  <service type="forking"/>
</sandbox>
EOF
export SANDBOX_PROFILE_PATH=$PROFILES
HELPER_PATH=$(sed -n 's/^#define SANDBOX_HELPER_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")

# execstart.py FILE: the argv of the last ExecStart= of a unit file,
# NUL-separated, unquoted as systemd does: "%%" is "%", words split at
# white space, "..." and '...' quote, C escapes, and "$$" is "$".
cat >"$TMP/execstart.py" <<'EOF'
import re, sys

ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
       "\\": "\\", '"': '"', "'": "'", "s": " "}

def unescape_one(s, i):
    """The character for the escape at s[i] (after the backslash), and the next index."""
    c = s[i]
    if c in ESC:
        return ESC[c], i + 1
    if c == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", s[i + 1:i + 3]):
        return chr(int(s[i + 1:i + 3], 16)), i + 3
    if c == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", s[i + 1:i + 5]):
        return chr(int(s[i + 1:i + 5], 16)), i + 5
    if c == "U" and re.fullmatch(r"[0-9a-fA-F]{8}", s[i + 1:i + 9]):
        return chr(int(s[i + 1:i + 9], 16)), i + 9
    if re.fullmatch(r"[0-7]{3}", s[i:i + 3]):
        return chr(int(s[i:i + 3], 8)), i + 3
    sys.exit("invalid escape \\%s" % c)

def split_words(s):
    words, word, quote, i, inword = [], [], None, 0, False
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s):
                sys.exit("backslash at the end of the line")
            ch, i = unescape_one(s, i + 1)
            word.append(ch)
            inword = True
            continue
        if quote:
            if c == quote:
                quote = None
            else:
                word.append(c)
        elif c in "\"'":
            quote, inword = c, True
        elif c in " \t":
            if inword:
                words.append("".join(word))
            word, inword = [], False
        else:
            word.append(c)
            inword = True
        i += 1
    if quote:
        sys.exit("unterminated quote")
    if inword:
        words.append("".join(word))
    return words

def specifiers(s):
    def one(m):
        if m.group(1) != "%":
            sys.exit("unexpected specifier %%%s" % m.group(1))
        return "%"
    if s.endswith("%") and not s.endswith("%%"):
        sys.exit("lone % at the end")
    return re.sub(r"%(.)", one, s)

def variables(w):
    out, i = [], 0
    while i < len(w):
        if w[i] == "$":
            if w[i + 1:i + 2] != "$":
                sys.exit("unexpected variable in %r" % w)
            i += 1
        out.append(w[i])
        i += 1
    return "".join(out)

lines, cont = [], ""
for raw in open(sys.argv[1], encoding="utf-8"):
    raw = raw.rstrip("\n")
    if raw.endswith("\\"):
        cont += raw[:-1] + " "
        continue
    lines.append(cont + raw)
    cont = ""
values = [l[len("ExecStart="):] for l in lines if l.startswith("ExecStart=")]
if len(values) < 2 or values[-2] != "":
    sys.exit("no ExecStart= reset before the command line")
value = values[-1]
argv = [variables(w) for w in split_words(specifiers(value))]
if not argv or argv[0][:1] in "@-:+!|":
    sys.exit("ExecStart= has a prefix or is empty")
sys.stdout.write("".join(a + "\0" for a in argv))
EOF

# What a profile asks for is read from its XML (xmllint), the plan's
# lines from the helper's own --dry-run: each check looks for the
# profile's values in the step the plan names for them. A profile's
# includes (base/NAME.xml) come before its own elements, as in every
# example here; where a setting is left out, sandbox.profile(5)'s default.

# xp FILE XPATH: the string value of XPATH in FILE, "" when there is none
xp() {
        xmllint --xpath "string($2)" "$1" 2>/dev/null
}

# profile_files PROFILE: its includes, then itself
profile_files() {
        local i
        for i in $(xmllint --xpath '/sandbox/include/@name' "$1" 2>/dev/null | sed 's/ *name="\([^"]*\)"/\1 /g'); do
                echo "$(dirname "$1")/base/$i.xml"
        done
        echo "$1"
}

# setting PROFILE XPATH DEFAULT: the last file's value that has one, else DEFAULT
setting() {
        local f v out=$3
        while read -r f; do
                v=$(xp "$f" "$2")
                [ -n "$v" ] && out=$v
        done < <(profile_files "$1")
        printf '%s' "$out"
}

# plan_has PLAN STEP DETAIL: a line "NN. STEP DETAIL" in PLAN
plan_has() {
        awk -v n="$2" -v d="$3" '
                match($0, /^ *[0-9]+\. /) {
                        rest = substr($0, RLENGTH + 1)
                        if (substr(rest, 1, length(n)) != n) next
                        rest = substr(rest, length(n) + 1)
                        if (rest !~ /^ /) next
                        sub(/^ +/, "", rest)
                        if (rest == d) found = 1
                }
                END { exit !found }' "$1"
}

# expect WHAT PROFILE PLAN: the plan shows what the profile asks for;
# WHAT is one of name, mounts, masks, network, user, service, command.
# Prints what is missing.
expect() {
        local what=$1 path=$2 plan=$3 name f i n src tgt ro size mode d user type workdir missing=()
        name=$(basename "$path" .xml)
        case $what in
        name)
                [ "$(head -n 1 "$plan")" = "sandbox $name from $path" ] || missing+=("first line: sandbox $name from $path") ;;
        mounts)
                while read -r f; do
                        n=$(xp "$f" 'count(/sandbox/filesystem/bind)')
                        for ((i = 1; i <= n; i++)); do
                                src=$(xp "$f" "/sandbox/filesystem/bind[$i]/@source")
                                tgt=$(xp "$f" "/sandbox/filesystem/bind[$i]/@target")
                                ro=$(xp "$f" "/sandbox/filesystem/bind[$i]/@readonly")
                                d="$src on ${tgt:-$src}, $([ "${ro:-yes}" = yes ] && echo "read-only, ")nosuid nodev"
                                plan_has "$plan" bind "$d" || missing+=("bind $d")
                        done
                        n=$(xp "$f" 'count(/sandbox/filesystem/tmpfs)')
                        for ((i = 1; i <= n; i++)); do
                                tgt=$(xp "$f" "/sandbox/filesystem/tmpfs[$i]/@target")
                                size=$(xp "$f" "/sandbox/filesystem/tmpfs[$i]/@size")
                                mode=$(xp "$f" "/sandbox/filesystem/tmpfs[$i]/@mode")
                                [ -n "$mode" ] && mode=$(printf '%04o' "$((8#$mode))")
                                d="tmpfs on $tgt${size:+ size=$size}${mode:+ mode=$mode}, nosuid nodev"
                                plan_has "$plan" tmpfs "$d" || missing+=("tmpfs $d")
                        done
                done < <(profile_files "$path") ;;
        masks)
                while read -r f; do
                        n=$(xp "$f" 'count(/sandbox/filesystem/mask)')
                        for ((i = 1; i <= n; i++)); do
                                d=$(xp "$f" "/sandbox/filesystem/mask[$i]/@path")
                                plan_has "$plan" mask "$d" || missing+=("mask $d")
                        done
                done < <(profile_files "$path") ;;
        network)
                d=$(setting "$path" /sandbox/network/@mode host)
                plan_has "$plan" network "$d" || missing+=("network $d") ;;
        user)
                user=$(setting "$path" /sandbox/exec/@user root)
                grep -qE "^ *[0-9]+\. identity +user $(printf '%s' "$user" | sed 's/[][\.*^$]/\\&/g')," "$plan" ||
                        missing+=("identity user $user") ;;
        service)
                type=$(setting "$path" /sandbox/service/@type simple)
                if grep -qE '^ *[0-9]+\. init +.*once the command exits 0' "$plan"; then
                        [ "$type" = forking ] || missing+=("init not for a forking daemon")
                else
                        [ "$type" != forking ] || missing+=("init for a forking daemon")
                fi ;;
        command)
                workdir=$(setting "$path" /sandbox/exec/@workdir "")
                d=
                while read -r f; do
                        n=$(xp "$f" 'count(/sandbox/exec[arg][last()]/arg)')
                        [ "$n" -gt 0 ] || continue
                        d=
                        for ((i = 1; i <= n; i++)); do
                                d+="${d:+ }$(xp "$f" "/sandbox/exec[arg][last()]/arg[$i]")"
                        done
                done < <(profile_files "$path")
                d+="${workdir:+ in $workdir}"
                plan_has "$plan" execve "$d" || missing+=("execve $d") ;;
        *)
                missing+=("unknown check $what") ;;
        esac
        for d in "${missing[@]}"; do
                echo "# missing: $d"
        done
        [ "${#missing[@]}" -eq 0 ]
}

# ---- every example profile's command line, planned ----------------------
for profile in "$EXAMPLES"/*.xml "$PROFILES/awkward.xml" "$PROFILES/forking.xml"; do
        name=$(basename "$profile" .xml)
        path=$PROFILES/$name.xml
        if ! "$SANDBOXCTL" show "$name" >"$TMP/$name.conf" 2>"$TMP/$name.show.err"; then
                not_ok "$name: sandboxctl show succeeds"
                diag "$(cat "$TMP/$name.show.err")"
                continue
        fi
        if ! "$PYTHON" "$TMP/execstart.py" "$TMP/$name.conf" >"$TMP/$name.argv" 2>"$TMP/$name.parse.err"; then
                not_ok "$name: the ExecStart= line parses as a systemd command line"
                diag "$(cat "$TMP/$name.parse.err")"
                continue
        fi
        mapfile -d '' -t argv <"$TMP/$name.argv"
        check "$name: ExecStart= runs the configured helper $HELPER_PATH" test "${argv[0]}" = "$HELPER_PATH"
        "$HELPER" --dry-run "${argv[@]:1}" >"$TMP/$name.plan" 2>"$TMP/$name.plan.err"
        rc=$?
        if [ "$rc" -eq 0 ] && [ ! -s "$TMP/$name.plan.err" ]; then
                ok "$name: the helper accepts the profile's command line with --dry-run"
        else
                not_ok "$name: the helper accepts the profile's command line with --dry-run"
                diag "status $rc" "$(cat "$TMP/$name.plan.err")"
                continue
        fi
        for what in name mounts masks network user service command; do
                check "$name: the plan shows the profile's $what" expect "$what" "$path" "$TMP/$name.plan"
        done
done

# ---- refusals -----------------------------------------------------------
# refuse DESCRIPTION NEEDLE ARGS...: the helper (with --dry-run among ARGS
# where it parses) exits 1, prints nothing on stdout and exactly one line
# on stderr, which contains NEEDLE.
refuse() {
        local what=$1 needle=$2 rc lines
        shift 2
        "$HELPER" "$@" >"$TMP/refuse.out" 2>"$TMP/refuse.err"
        rc=$?
        lines=$(wc -l <"$TMP/refuse.err")
        if [ "$rc" -eq 1 ] && [ ! -s "$TMP/refuse.out" ] && [ "$lines" -eq 1 ] && grep -qF -- "$needle" "$TMP/refuse.err"; then
                ok "refuses $what: exit 1, one line naming $needle"
        else
                not_ok "refuses $what: exit 1, one line naming $needle"
                diag "status $rc, $lines line(s) on stderr:" "$(cat "$TMP/refuse.err")" "stdout: $(head -c 300 "$TMP/refuse.out")"
        fi
}

refuse "a missing --name" "--name" --dry-run -- /bin/true
refuse "a missing \"--\" and command" '"--"' --name=t --dry-run
refuse "a command without \"--\" before it" '"--"' --name=t --dry-run /bin/true
refuse "an empty command after \"--\"" '"--"' --name=t --dry-run --
refuse "a relative command" "bin/true" --name=t --dry-run -- bin/true
refuse "an invalid --name" "--name" --name=../x --dry-run -- /bin/true
refuse "--etc=bogus" "--etc=bogus" --name=t --dry-run --etc=bogus -- /bin/true
refuse "--var=bogus" "--var=bogus" --name=t --dry-run --var=bogus -- /bin/true
refuse "--network=bogus" "--network=bogus" --name=t --dry-run --network=bogus -- /bin/true
refuse "--bind with one field" "--bind" --name=t --dry-run --bind=/srv -- /bin/true
refuse "--bind with three fields" "--bind" --name=t --dry-run --bind=/a:/b:/c -- /bin/true
refuse "--bind with a relative source" "--bind" --name=t --dry-run --bind=srv:/srv -- /bin/true
refuse "--bind-ro with a relative target" "--bind-ro" --name=t --dry-run --bind-ro=/srv:srv -- /bin/true
refuse "--bind with a non-normalised path" "--bind" --name=t --dry-run --bind=/srv/../etc:/srv -- /bin/true
"$HELPER" --name=t --dry-run --etc=tmpfs --etc-size=4M --var=tmpfs --var-size=16M --shm-size=2M -- /bin/true \
        >"$TMP/sizes.plan" 2>&1
check "--dry-run shows --etc-size, --var-size and --shm-size where they apply" bash -c \
        'grep -Eq "^ *[0-9]+\. join +/etc: tmpfs on /etc size=4M," "$0" && grep -Eq "^ *[0-9]+\. join +/var: tmpfs on /var size=16M," "$0" &&
         grep -Eq "^ *[0-9]+\. dev +.*/dev/shm size=2M," "$0"' "$TMP/sizes.plan"
refuse "--proc-subset=bogus" "--proc-subset=bogus" --name=t --dry-run --proc-subset=bogus -- /bin/true
refuse "--tmpfs with a bad size" "--tmpfs" --name=t --dry-run --tmpfs=/scratch:12Q: -- /bin/true
refuse "--tmpfs with a non-octal mode" "--tmpfs" --name=t --dry-run --tmpfs=/scratch::0789 -- /bin/true
refuse "--tmpfs with a mode that is not a number" "--tmpfs" --name=t --dry-run --tmpfs=/scratch::rwx -- /bin/true
refuse "--tmpfs with a relative target" "--tmpfs" --name=t --dry-run --tmpfs=scratch:: -- /bin/true
refuse "--block with a device outside /dev" "--block" --name=t --dry-run --block=data:/tmp/disk.img -- /bin/true
refuse "--block with an invalid tag" "--block" --name=t --dry-run --block=a/b:/dev/vdb -- /bin/true
refuse "--keep-caps=net_admin (lower case, without CAP_)" "--keep-caps" --name=t --dry-run --keep-caps=net_admin -- /bin/true
refuse "--keep-caps with one bad name in the list" "--keep-caps" --name=t --dry-run --keep-caps=CAP_CHOWN,chown -- /bin/true
refuse "--keep-caps with a capability this system does not know" "--keep-caps" --name=t --dry-run --keep-caps=CAP_NO_SUCH_THING -- /bin/true
refuse "an invalid --hostname" "--hostname" --name=t --dry-run --hostname=-bad-.example -- /bin/true
refuse "--user-namespace=shared" "--user-namespace=shared" --name=t --dry-run --user-namespace=shared -- /bin/true
refuse "an invalid --user" "--user" --name=t --dry-run "--user=no body" -- /bin/true
refuse "an invalid --group" "--group" --name=t --dry-run --group=a:b -- /bin/true
refuse "a relative --workdir" "--workdir" --name=t --dry-run --workdir=srv -- /bin/true
refuse "a --mask of /" "--mask" --name=t --dry-run --mask=/ -- /bin/true
refuse "an unknown option" "--frobnicate" --name=t --dry-run --frobnicate -- /bin/true
refuse "an option without its value" "--etc" --name=t --dry-run --etc
refuse "--runtime-root without --unprivileged" "--runtime-root" --name=t --dry-run --runtime-root=/tmp/r -- /bin/true
refuse "--unprivileged without --runtime-root" "--runtime-root" --name=t --dry-run --unprivileged --state-root=/tmp/s -- /bin/true
refuse "--unprivileged with --block" "--unprivileged: --block" --name=t --dry-run --unprivileged --state-root=/tmp/s --runtime-root=/tmp/r \
        --block=data:/dev/loop0 -- /bin/true
refuse "--unprivileged with --selinux-label" "--unprivileged: --selinux-label" --name=t --dry-run --unprivileged --state-root=/tmp/s \
        --runtime-root=/tmp/r --selinux-label=system_u:system_r:svirt_lxc_net_t:s0 -- /bin/true

# ---- escaping in mount specifications -----------------------------------
"$HELPER" --name=t --dry-run '--bind=/a\:b:/c' -- /bin/true >"$TMP/esc.plan" 2>"$TMP/esc.err"
rc=$?
check "--bind='/a\\:b:/c' (escaped colon) is accepted" test "$rc" -eq 0
check "--bind='/a\\:b:/c' plans source /a:b on target /c" \
        grep -Eq '^ *[0-9]+\. bind +/a:b on /c, nosuid nodev$' "$TMP/esc.plan"
"$HELPER" --name=t --dry-run '--tmpfs=/x\:y::1777' '--bind-ro=/back\\slash:/t' -- /bin/true >"$TMP/esc2.plan" 2>"$TMP/esc2.err"
rc=$?
check "escaped colon in a tmpfs target and escaped backslash in a bind source are accepted and unescaped" \
        bash -c '[ "$1" -eq 0 ] && grep -Eq "^ *[0-9]+\. tmpfs +tmpfs on /x:y mode=1777, nosuid nodev$" "$2" &&
                grep -Eq "^ *[0-9]+\. bind +/back\\\\slash on /t, read-only, nosuid nodev$" "$2"' _ "$rc" "$TMP/esc2.plan"

# ---- the template's fallback: --missing-profile -------------------------
SANDBOX_PROFILE_PATH="$TMP/one:$TMP/two" "$HELPER" --missing-profile=web >"$TMP/mp.out" 2>"$TMP/mp.err"
rc=$?
check "--missing-profile=web exits 1" test "$rc" -eq 1
check "--missing-profile=web names web.xml and every searched directory" \
        bash -c 'grep -qF "web.xml" "$1" && grep -qF "$2/one" "$1" && grep -qF "$2/two" "$1"' _ "$TMP/mp.err" "$TMP"
check "--missing-profile=web says to run systemctl daemon-reload" grep -qF "systemctl daemon-reload" "$TMP/mp.err"
SANDBOX_PROFILE_PATH="$TMP/one" "$HELPER" --missing-profile=web --dry-run >"$TMP/mp3.out" 2>"$TMP/mp3.err"
rc=$?
check "--missing-profile takes precedence over --dry-run: exit 1, no plan" \
        bash -c '[ "$1" -eq 1 ] && [ ! -s "$2" ] && grep -qF "web.xml" "$3"' _ "$rc" "$TMP/mp3.out" "$TMP/mp3.err"
(unset SANDBOX_PROFILE_PATH; "$HELPER" --missing-profile=web) >/dev/null 2>"$TMP/mp2.err"
check "--missing-profile without SANDBOX_PROFILE_PATH names the default directories" \
        bash -c 'grep -qF /etc/sandbox/profiles "$1" && grep -qF /run/sandbox/profiles "$1" && grep -qF /usr/lib/sandbox/profiles "$1"' \
        _ "$TMP/mp2.err"
# a profile that is there, but has no drop-in: skipped, or not yet loaded
mkdir -p "$TMP/two"
printf '<sandbox>\n  <firewall/>\n</sandbox>\n' >"$TMP/two/web.xml"
SANDBOX_PROFILE_PATH="$TMP/one:$TMP/two" "$HELPER" --missing-profile=web >/dev/null 2>"$TMP/mp4.err"
rc=$?
check "--missing-profile=web with a web.xml on the path: exits 1, names that file and \"sandboxctl validate web\"" \
        bash -c '[ "$1" -eq 1 ] && grep -qF "its profile $2/two/web.xml:" "$3" && grep -qF "sandboxctl validate web" "$3"' \
        _ "$rc" "$TMP" "$TMP/mp4.err"
rm -r "$TMP/two"

# a name is checked as a sandbox name, and shown escaped: no path is
# looked up from it, and nothing of it reaches a terminal raw
mkdir -p "$TMP/one" "$TMP/etc-like"
cp "$TMP/one/"*.xml "$TMP/etc-like/" 2>/dev/null
printf '<sandbox/>\n' >"$TMP/etc-like/target.xml"
for bad in "../etc-like/target" $'web\e]0;owned\a\e[31m' "profiles" "$(printf 'a%.0s' $(seq 300))" "-web" ""; do
        SANDBOX_PROFILE_PATH="$TMP/one" "$HELPER" --missing-profile="$bad" >"$TMP/mpb.out" 2>"$TMP/mpb.err"
        rc=$?
        shown=$(printf '%q' "$bad" | head -c 40)
        if [ "$rc" -eq 1 ] && [ ! -s "$TMP/mpb.out" ] && grep -qF "is not a valid sandbox name" "$TMP/mpb.err" \
                && ! grep -qF -e "$TMP/etc-like" -e "its profile" "$TMP/mpb.err" && ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$TMP/mpb.err"; then
                ok "--missing-profile=$shown: exit 1, refused as not a valid sandbox name, nothing looked up, nothing raw"
        else
                not_ok "--missing-profile=$shown: exit 1, refused as not a valid sandbox name, nothing looked up, nothing raw"
                diag "status $rc" "$(cat -v "$TMP/mpb.err")"
        fi
done
SANDBOX_PROFILE_PATH="$TMP/one" "$HELPER" --missing-profile=$'web\e[31m' >/dev/null 2>"$TMP/mpb.err"
check "--missing-profile: the name's control characters are shown as \\xHH" grep -qF 'web\x1b\x5b31m' "$TMP/mpb.err"
rm -r "$TMP/etc-like"

# ---- without --dry-run: the sandbox is built, the command runs ----------
# (the sandbox itself is tested in test-sandbox.sh; here: the contract's
# exit statuses, with the state kept under $TMP)
NAME=contract-$$
STATE=$TMP/state
"$HELPER" --name="$NAME" --state-root="$STATE" -- /bin/sh -c 'exit 7' >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
check "without --dry-run the command runs and its exit status is the helper's" test "$rc" -eq 7
"$HELPER" --name="$NAME" --state-root="$STATE" -- /nonexistent/command >/dev/null 2>"$TMP/run.err"
rc=$?
check "a command that does not exist: exit 127 and a message naming it" \
        bash -c '[ "$1" -eq 127 ] && grep -q "^sandbox-helper: $3: execute /nonexistent/command: " "$2"' _ "$rc" "$TMP/run.err" "$NAME"
"$HELPER" --name="$NAME" --state-root="$STATE" --bind=/nonexistent/source:/mnt -- /bin/true >/dev/null 2>"$TMP/run.err"
rc=$?
check "a sandbox that cannot be built: exit 125 and one line saying why" \
        bash -c '[ "$1" -eq 125 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^sandbox-helper: $3: --bind: source /nonexistent/source: " "$2"' \
        _ "$rc" "$TMP/run.err" "$NAME"
# a whole profile's command line (nginx), with a command that only exits
mapfile -d '' -t argv <"$TMP/nginx.argv"
for ((k = 0; k < ${#argv[@]}; k++)); do
        [ "${argv[k]}" = -- ] && break
done
"$HELPER" "${argv[@]:1:k-1}" --name="$NAME" --state-root="$STATE" -- /bin/true >/dev/null 2>"$TMP/run2.err"
rc=$?
if [ -d /srv/www ]; then
        check "a whole profile's command line (nginx) builds its sandbox" test "$rc" -eq 0
else
        check "a whole profile's command line (nginx) is read; its missing bind source /srv/www refused (125)" \
                bash -c '[ "$1" -eq 125 ] && grep -q "source /srv/www: No such file" "$2"' _ "$rc" "$TMP/run2.err"
fi
rm -rf "/run/sandbox/$NAME"

# ---- --help, --version --------------------------------------------------
"$HELPER" --help >"$TMP/help.out" 2>&1
rc=$?
check "--help exits 0 and prints the usage" bash -c '[ "$1" -eq 0 ] && grep -q "^sandbox-helper .*-- COMMAND" "$2"' _ "$rc" "$TMP/help.out"
"$HELPER" --version >"$TMP/version.out" 2>&1
rc=$?
VERSION=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$BUILD_ROOT/meson-info/intro-projectinfo.json" 2>/dev/null)
check "--version exits 0 and prints sandbox-helper ${VERSION:-VERSION}" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "sandbox-helper ${3:-.*}" "$2"' _ "$rc" "$TMP/version.out" "$VERSION"

done_testing
