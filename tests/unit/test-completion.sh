#!/usr/bin/env bash
# Shell completion for sandboxctl: the bash function driven as bash's
# programmable completion calls it, and the zsh function driven in a real
# interactive zsh on a pseudo-terminal (when zsh is installed).
. "$(dirname "$0")/../tap.sh"
# the interpreter itself, not a wrapper script that finds it at every call
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

BASH_COMPLETION=$SOURCE_ROOT/shell-completion/bash/sandboxctl
ZSH_COMPLETION_DIR=$SOURCE_ROOT/shell-completion/zsh

D1=$TMP/first
D2=$TMP/second
CWD=$TMP/cwd
mkdir -p "$D1" "$D2" "$CWD/sub" "$TMP/empty"
cp -r "$EXAMPLES/." "$D1/"
cp "$EXAMPLES/nginx.xml" "$D2/"
sed 's|<sandbox name="nginx">|<sandbox>|' "$EXAMPLES/nginx.xml" >"$D2/zz-second-only.xml"
# not profiles: a directory, a hidden file, another suffix
mkdir "$D2/directory.xml"
cp "$EXAMPLES/redis.xml" "$D2/.hidden.xml"
cp "$EXAMPLES/redis.xml" "$D2/redis.xml.orig"
# the working directory, for file-name completion
touch "$CWD/local.xml" "$CWD/notes.txt"
mkdir "$TMP/odd"
touch "$TMP/odd/-odd.xml"
export SANDBOX_PROFILE_PATH=$D1:$D2
# a state root: two sandboxes with state, and what is not one: a hidden
# clone under way, a file, a symbolic link, a name sandboxctl refuses
SR=$TMP/state
mkdir -p "$SR/web-one" "$SR/web-two" "$SR/.web-three.clone-0123" "$SR/bad name"
touch "$SR/web-file"
ln -s web-one "$SR/web-link"
# another: a sandbox with state and a profile, and one with state only
SR2=$TMP/more-state
mkdir -p "$SR2/nginx" "$SR2/web-three"

# the profile names sandboxctl itself finds on the search path
NAMES=$("$SANDBOXCTL" list --json | "$PYTHON" -c 'import json, sys; print("\n".join(o["name"] for o in json.load(sys.stdin)))')
sorted() { LC_ALL=C sort -u | sed '/^$/d'; }
words() { printf '%s\n' "$@" | sorted; }

# expect DESCRIPTION EXPECTED ACTUAL: compares two newline-separated sets.
expect() {
        if [ "$2" = "$3" ]; then
                ok "$1"
        else
                not_ok "$1"
                diag "expected: $(echo $2)" "got:      $(echo $3)"
        fi
}

# ---- bash ---------------------------------------------------------------
# bash_complete LINE [DIR]: COMPREPLY, sorted, for the cursor at the end of
# LINE, from a fresh bash that has only sourced the completion file.
bash_complete() {
        bash_complete_raw "$@" | sorted
}
# bash_complete_raw LINE [DIR]: the same, one a line, as it is
bash_complete_raw() {
        (cd "${2:-$CWD}" && bash --norc --noprofile -c '
                source "$1" || exit 3
                line=$2
                read -r -a COMP_WORDS <<<"$line"
                [[ $line == *" " || ${#COMP_WORDS[@]} -eq 0 ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                COMP_LINE=$line
                COMP_POINT=${#line}
                spec=$(complete -p sandboxctl) || exit 4
                func=${spec#*-F }
                func=${func%% *}
                "$func" sandboxctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMPLETION" "$1" || echo "(completion failed)")
}

check "bash: the completion file parses" bash -n "$BASH_COMPLETION"
check "bash: sourcing it registers a function for sandboxctl" \
        bash --norc --noprofile -c 'source "$1" && complete -p sandboxctl | grep -q -- "-F _sandboxctl sandboxctl$"' _ "$BASH_COMPLETION"

COMMANDS="validate list show run diff delete clone status exec shell convert"
expect "bash: the commands at position 1" "$(words $COMMANDS)" "$(bash_complete 'sandboxctl ')"
expect "bash: a prefix filters the commands" "$(words shell show)" "$(bash_complete 'sandboxctl sh')"
expect "bash: the options on -" "$(words --help --version --json)" "$(bash_complete 'sandboxctl -')"
expect "bash: a prefix filters the options" "$(words --json)" "$(bash_complete 'sandboxctl --j')"
expect "bash: the commands after an option" "$(words $COMMANDS)" "$(bash_complete 'sandboxctl --json ')"
expect "bash: list's options after it" "$(words --help --json)" "$(bash_complete 'sandboxctl list --')"
expect "bash: validate's options" "$(words --help --json)" "$(bash_complete 'sandboxctl validate --')"
expect "bash: show's options" "$(words --help --json)" "$(bash_complete 'sandboxctl show --')"
expect "bash: nothing after list" "" "$(bash_complete 'sandboxctl list ')"
expect "bash: show completes the profile names sandboxctl lists, and .xml files and directories here" \
        "$(words $NAMES local.xml sub)" "$(bash_complete 'sandboxctl show ')"
expect "bash: validate completes the same" "$(words $NAMES local.xml sub)" "$(bash_complete 'sandboxctl validate ')"
expect "bash: the names only, where there are no files" "$(words $NAMES)" "$(bash_complete 'sandboxctl show ' "$TMP/empty")"
check "bash: a name in both directories is offered once" \
        test "$(cd "$TMP/empty" && bash --norc --noprofile -c 'source "$1"; __sandboxctl_profile_names' _ "$BASH_COMPLETION" | grep -cx nginx)" -eq 1
expect "bash: a prefix filters the names" "$(words nginx nightly-report)" "$(bash_complete 'sandboxctl show n')"
expect "bash: a longer prefix leaves one name" "$(words nginx)" "$(bash_complete 'sandboxctl show ng')"
expect "bash: a name only in the second directory is offered" "$(words zz-second-only)" "$(bash_complete 'sandboxctl show zz')"
# run: a profile, then after "--" a command, then its arguments
expect "bash: run takes a profile name" "$(words nginx)" "$(bash_complete 'sandboxctl run ng')"
expect "bash: run's options" "$(words --debug)" "$(bash_complete 'sandboxctl run --d')"
expect "bash: run --state-root=DIR: still the profile next" "$(words nginx)" \
        "$(bash_complete 'sandboxctl run --state-root=/tmp ng')"
expect "bash: run PROFILE -- : a command" "$(compgen -c -- base | sorted)" \
        "$(bash_complete 'sandboxctl run nginx -- base')"
expect "bash: run PROFILE -- COMMAND: its arguments are files" "$(words local.xml)" \
        "$(bash_complete 'sandboxctl run nginx -- /bin/cat loc')"
expect "bash: run PROFILE: nothing more before --" "" "$(bash_complete 'sandboxctl run nginx ng')"
expect "bash: validate takes more than one profile" "$(words redis)" "$(bash_complete 'sandboxctl validate nginx re')"
expect "bash: show takes only one profile" "" "$(bash_complete 'sandboxctl show nginx ')"
expect "bash: after \"--\", profiles again (no options)" "$(words $NAMES)" "$(bash_complete 'sandboxctl validate -- ' "$TMP/empty")"
expect "bash: after \"--\", a word starting with - is a path" "$(words -odd.xml)" "$(bash_complete 'sandboxctl show -- -o' "$TMP/odd")"
expect "bash: show after \"--\" and one profile offers nothing" "" "$(bash_complete 'sandboxctl show -- nginx ' "$TMP/empty")"
expect "bash: after a slash, .xml files and directories only" "$(words ./local.xml ./sub)" "$(bash_complete 'sandboxctl show ./')"
expect "bash: an empty SANDBOX_PROFILE_PATH offers no names" "" \
        "$(SANDBOX_PROFILE_PATH= bash_complete 'sandboxctl show ' "$TMP/empty")"
# diff and delete: one sandbox with state; clone: a profile, then a new name
expect "bash: diff's options" "$(words --help --json --state-root=)" "$(bash_complete 'sandboxctl diff --')"
expect "bash: delete's options" "$(words --help --force --state-root=)" "$(bash_complete 'sandboxctl delete --')"
expect "bash: clone's options" "$(words --help --state-root= --profile-dir=)" "$(bash_complete 'sandboxctl clone --')"
expect "bash: status's options" "$(words --help --json --state-root=)" "$(bash_complete 'sandboxctl status --')"
expect "bash: status completes the profile names and the sandboxes with state in the state root" \
        "$(words $NAMES web-three)" "$(bash_complete "sandboxctl status --state-root=$SR2 " "$TMP/empty")"
expect "bash: status: a prefix filters them" "$(words web-three)" \
        "$(bash_complete "sandboxctl status --state-root $SR2 web" "$TMP/empty")"
check "bash: status offers a name with a profile and state once" \
        test "$(bash_complete_raw "sandboxctl status --state-root=$SR2 ng" "$TMP/empty" | grep -cx nginx)" -eq 1
expect "bash: status takes only one sandbox" "" "$(bash_complete "sandboxctl status --state-root=$SR2 nginx " "$TMP/empty")"
expect "bash: diff --state-root=DIR completes the sandboxes with state there (directories with sandbox names)" \
        "$(words web-one web-two)" "$(bash_complete "sandboxctl diff --state-root=$SR ")"
expect "bash: delete --state-root=DIR: a prefix filters them" "$(words web-two)" \
        "$(bash_complete "sandboxctl delete --state-root=$SR web-t")"
expect "bash: --state-root = DIR, as bash splits it at \"=\"" "$(words web-one web-two)" \
        "$(bash_complete "sandboxctl diff --state-root = $SR w")"
expect "bash: --state-root DIR, as two words" "$(words web-one)" \
        "$(bash_complete "sandboxctl delete --state-root $SR web-o")"
expect "bash: the state root given after the name counts too" "$(words web-one web-two)" \
        "$(bash_complete "sandboxctl delete --force --state-root=$SR ")"
expect "bash: diff takes only one sandbox" "" "$(bash_complete "sandboxctl diff --state-root=$SR web-one ")"
expect "bash: --state-root=: directories" "$(words "--state-root=$SR")" "$(bash_complete "sandboxctl diff --state-root=$TMP/sta")"
expect "bash: --profile-dir = : directories" "$(words "$D1")" "$(bash_complete "sandboxctl clone --profile-dir = $TMP/fir")"
expect "bash: clone's source is a profile name" "$(words nginx)" "$(bash_complete 'sandboxctl clone ng')"
expect "bash: clone's new name: nothing to offer" "" "$(bash_complete 'sandboxctl clone nginx ' "$TMP/empty")"
# convert: a service unit systemd knows (not a template), and its options
expect "bash: convert's options" \
        "$(words --help --name= --output= --replace --enable --keep-unsafe-caps --accept-widening --user-namespace=)" \
        "$(bash_complete 'sandboxctl convert --')"
expect "bash: convert --user-namespace=: its modes" "$(words --user-namespace=identity --user-namespace=private)" \
        "$(bash_complete 'sandboxctl convert --user-namespace=')"
expect "bash: convert --user-namespace MODE: a prefix filters them" "$(words private)" \
        "$(bash_complete 'sandboxctl convert --user-namespace p')"
mkdir -p "$TMP/out-dir" && touch "$TMP/out-dir/web.xml"
expect "bash: convert --output FILE: a file" "$(words web.xml)" "$(bash_complete 'sandboxctl convert --output we' "$TMP/out-dir")"
expect "bash: convert --output=FILE: a file" "$(words --output=web.xml)" "$(bash_complete 'sandboxctl convert --output=we' "$TMP/out-dir")"
expect "bash: convert --name NAME: nothing to offer" "" "$(bash_complete 'sandboxctl convert --name ' "$TMP/out-dir")"
if command -v systemctl >/dev/null && [ -n "$(systemctl list-unit-files --type=service --no-legend --plain 2>/dev/null | head -n 1)" ]; then
        first=$(systemctl list-unit-files --type=service --no-legend --plain | awk '$1 !~ /@\.service$/ { print $1; exit }')
        check "bash: convert completes the service units systemd knows ($first)" \
                grep -qx "$first" <<<"$(bash_complete "sandboxctl convert ${first:0:3}")"
        check "bash: but no template" test -z "$(bash_complete 'sandboxctl convert ' | grep '@\.service$')"
        check "bash: after --output FILE, still the unit ($first)" \
                grep -qx "$first" <<<"$(bash_complete "sandboxctl convert --output x.xml --name web ${first:0:3}")"
        check "bash: after --user-namespace MODE, still the unit ($first)" \
                grep -qx "$first" <<<"$(bash_complete "sandboxctl convert --user-namespace private ${first:0:3}")"
else
        skip "bash: convert completes the service units systemd knows" "systemctl lists no unit files here"
        skip "bash: but no template" "systemctl lists no unit files here"
        skip "bash: after --output FILE, still the unit" "systemctl lists no unit files here"
        skip "bash: after --user-namespace MODE, still the unit" "systemctl lists no unit files here"
fi
# exec: a sandbox, then after "--" a command; shell: a sandbox only
expect "bash: exec takes a sandbox by its profile's name" "$(words nginx)" "$(bash_complete 'sandboxctl exec ng')"
expect "bash: exec's options" "$(words --help --debug --state-root=)" "$(bash_complete 'sandboxctl exec --')"
expect "bash: exec NAME -- : a command" "$(compgen -c -- base | sorted)" "$(bash_complete 'sandboxctl exec nginx -- base')"
expect "bash: shell takes a sandbox" "$(words nginx nightly-report)" "$(bash_complete 'sandboxctl shell n')"
expect "bash: shell takes one sandbox only" "" "$(bash_complete 'sandboxctl shell nginx ' "$TMP/empty")"
STATE_ROOT_DEFAULT=$(sed -n 's/^#define STATE_ROOT_DEFAULT "\(.*\)"$/\1/p' "$SOURCE_ROOT/lib/core/state-dir.h")
check "bash: the default state root is sandboxctl's (${STATE_ROOT_DEFAULT:-none found})" \
        grep -qF "root=\${1:-$STATE_ROOT_DEFAULT}" "$BASH_COMPLETION"
check "zsh: the default state root is sandboxctl's" \
        grep -qF "root=\${1:-$STATE_ROOT_DEFAULT}" "$ZSH_COMPLETION_DIR/_sandboxctl"
expect "bash: SANDBOX_PROFILE_PATH is read at completion time" "$(words nginx zz-second-only)" \
        "$(SANDBOX_PROFILE_PATH=$D2 bash_complete 'sandboxctl show ' "$TMP/empty")"

DEFAULT_PATH=$(sed -n 's/^#define PROFILE_SEARCH_PATH_DEFAULT "\(.*\)"$/\1/p' "$SOURCE_ROOT/lib/core/search-path.h")
check "bash: the default search path is sandboxctl's ($DEFAULT_PATH)" \
        grep -qF "\${SANDBOX_PROFILE_PATH-$DEFAULT_PATH}" "$BASH_COMPLETION"
check "zsh: the default search path is sandboxctl's" \
        grep -qF "\${SANDBOX_PROFILE_PATH-$DEFAULT_PATH}" "$ZSH_COMPLETION_DIR/_sandboxctl"

# loaded on demand from a completions directory, as bash-completion does
# with the installed file
if [ -r /usr/share/bash-completion/bash_completion ]; then
        mkdir -p "$TMP/xdg/completions"
        cp "$BASH_COMPLETION" "$TMP/xdg/completions/sandboxctl"
        check "bash-completion loads it on demand from a completions directory" \
                bash --norc --noprofile -c '
                        source /usr/share/bash-completion/bash_completion 2>/dev/null
                        BASH_COMPLETION_USER_DIR=$1
                        __load_completion sandboxctl && complete -p sandboxctl | grep -q -- "-F _sandboxctl"' _ "$TMP/xdg"
else
        skip "bash-completion loads it on demand from a completions directory (bash-completion is not installed)"
fi

# ---- zsh ----------------------------------------------------------------
ZSH=$(command -v zsh)
zsh_tests=21
if [ -z "$ZSH" ]; then
        for ((i = 0; i < zsh_tests; i++)); do
                skip "zsh: not installed"
        done
        done_testing
        exit
fi

check "zsh: the completion file parses (zsh -n)" "$ZSH" -n "$ZSH_COMPLETION_DIR/_sandboxctl"
check "zsh: autoload defines _sandboxctl" \
        "$ZSH" -f -c 'fpath=($1 $fpath); autoload -Uz +X _sandboxctl && (( $+functions[_sandboxctl] ))' _ "$ZSH_COMPLETION_DIR"
check "zsh: compinit binds _sandboxctl to sandboxctl (#compdef)" \
        "$ZSH" -f -c 'fpath=($1 $fpath); autoload -Uz compinit && compinit -u -D && [[ $_comps[sandboxctl] == _sandboxctl ]]' _ "$ZSH_COMPLETION_DIR"

# zsh_complete LINE [DIR]: the matches a Tab at the end of LINE adds, sorted,
# in an interactive zsh on a pseudo-terminal with compinit; compadd is
# wrapped to record them.
cat >"$TMP/drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
out=$1 compdir=$2 line=$3
zpty z zsh -f -i || exit 3
zpty -w z "PS1='> '; fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)out:h}/zcompdump"
zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>| ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "capture() { zle complete-word; print -r -- __done__ >>| ${(q)out}; }; zle -N capture; bindkey '^I' capture"
zpty -w z "zstyle ':completion:*' menu no; LISTMAX=0"
zpty -n -w z "$line"$'\t'
for i in {1..200}; do
        [[ -r $out ]] && grep -qx __done__ $out && break
        sleep 0.05
done
zpty -d z
grep -qx __done__ $out
EOF
zsh_complete() {
        rm -f "$TMP/zsh.out"
        (cd "${2:-$CWD}" && "$ZSH" -f "$TMP/drive.zsh" "$TMP/zsh.out" "$ZSH_COMPLETION_DIR" "$1") >/dev/null 2>&1 ||
                echo "(no completion ran)"
        grep -vx __done__ "$TMP/zsh.out" 2>/dev/null | sorted
}

if ! "$ZSH" -f -c 'zmodload zsh/zpty' 2>/dev/null; then
        for ((i = 3; i < zsh_tests; i++)); do
                skip "zsh: completion in a pseudo-terminal (the zsh/zpty module is missing)"
        done
else
        expect "zsh: the commands at position 1" "$(words $COMMANDS)" "$(zsh_complete 'sandboxctl ')"
        expect "zsh: a prefix filters the commands" "$(words shell show)" "$(zsh_complete 'sandboxctl sh')"
        expect "zsh: the options on --" "$(words --help --version --json)" "$(zsh_complete 'sandboxctl --')"
        expect "zsh: show completes the profile names sandboxctl lists, and .xml files and directories here" \
                "$(words $NAMES local.xml sub)" "$(zsh_complete 'sandboxctl show ')"
        expect "zsh: a prefix filters the names" "$(words nginx)" "$(zsh_complete 'sandboxctl validate ng' "$TMP/empty")"
        expect "zsh: validate takes more than one profile" "$(words redis)" \
                "$(zsh_complete 'sandboxctl validate nginx re' "$TMP/empty")"
        expect "zsh: after \"--\", profiles again" "$(words nginx)" "$(zsh_complete 'sandboxctl validate -- ng' "$TMP/empty")"
        expect "zsh: show takes only one profile (after it, only its options --help and --json)" "$(words --help --json)" \
                "$(zsh_complete 'sandboxctl show nginx ')"
        expect "zsh: an empty SANDBOX_PROFILE_PATH offers no names" "" \
                "$(SANDBOX_PROFILE_PATH= zsh_complete 'sandboxctl show ' "$TMP/empty")"
        expect "zsh: diff --state-root=DIR completes the sandboxes with state there" "$(words web-one web-two)" \
                "$(zsh_complete "sandboxctl diff --state-root=$SR " "$TMP/empty")"
        expect "zsh: delete --state-root=DIR: a prefix filters them" "$(words web-two)" \
                "$(zsh_complete "sandboxctl delete --state-root=$SR web-t" "$TMP/empty")"
        # zsh adds the "=" of --state-root= itself, after the match
        expect "zsh: delete's options" "$(words --help --force --state-root)" \
                "$(zsh_complete 'sandboxctl delete --' "$TMP/empty")"
        expect "zsh: clone's source is a profile name" "$(words nginx)" "$(zsh_complete 'sandboxctl clone ng' "$TMP/empty")"
        expect "zsh: status completes the profile names and the sandboxes with state in the state root" \
                "$(words $NAMES web-three)" "$(zsh_complete "sandboxctl status --state-root=$SR2 " "$TMP/empty")"
        expect "zsh: status's options" "$(words --help --json --state-root)" \
                "$(zsh_complete 'sandboxctl status --' "$TMP/empty")"
        expect "zsh: exec takes a sandbox by its profile's name" "$(words nginx)" "$(zsh_complete 'sandboxctl exec ng' "$TMP/empty")"
        expect "zsh: shell takes a sandbox" "$(words nginx)" "$(zsh_complete 'sandboxctl shell ng' "$TMP/empty")"
        expect "zsh: convert --user-namespace=: its modes" "$(words identity private)" \
                "$(zsh_complete 'sandboxctl convert --user-namespace=' "$TMP/empty")"
fi

done_testing
