#!/bin/bash
# launch.sh DIR MACHINE [INIT-ARG...]: boots systemd in a container, for
# the end-to-end tests (tests/e2e/lib.sh starts it; nothing else should).
# Runs in a mount namespace of its own (unshare -m --propagation private),
# so that every mount made here dies with it:
#   - the container's root is an overlay: the host's / read-only below,
#     a tmpfs above that starts as a copy of DIR/layer (the build installed
#     with meson install --destdir, the tests' profiles and programs), so
#     each boot is fresh and nothing is written to the host;
#   - in that upper layer, each directory DIR/hidden names (one a line) is
#     "opaque": the container sees only what DIR/layer has in it, none of
#     the machine's (e2e/lib.sh, "What the container starts");
#   - DIR/machine, when there is one, is a second lower layer, above the
#     host's /: files a test puts there stand for the machine's own;
#   - a tmpfs on the host's /run, where systemd-nspawn keeps its own state;
#   - DIR/state (on the host's file system, as an overlay's upper directory
#     cannot be on overlayfs) becomes the container's /var/lib/sandbox;
#   - DIR/nspawn-args, when there is one, holds more systemd-nspawn
#     options, one a line (a test's device nodes: --bind=/dev/loop0).
# With DIR/idmappable (e2e/lib.sh, e2e_idmappable), the root is instead a
# tmpfs that e2e/idmappable-root.py fills: /etc and /var copied, /usr and
# the like read-only binds of the host's, grafted where the container has
# files of its own: every file system of it can be idmapped (an overlay
# cannot), for the sandboxes of a private user namespace inside.
# Then executes systemd-nspawn, which boots the host's systemd as PID 1;
# INIT-ARG... are passed to it (systemd.mask=..., and the like).
set -eu

DIR=$1
MACHINE=$2
shift 2

if [ -f "$DIR/idmappable" ]; then
        mount -t tmpfs -o mode=0755,size=2G e2e "$DIR/root"
        "$(dirname "$0")/idmappable-root.py" "$DIR" "$DIR/root"
        mount -t tmpfs -o mode=0755 e2e-run /run
else
        mount -t tmpfs -o mode=0755,size=2G e2e "$DIR/t"
        mkdir "$DIR/t/upper" "$DIR/t/work"
        cp -a "$DIR/layer/." "$DIR/t/upper/"
        lower=/
        if [ -d "$DIR/machine" ]; then
                # on the tmpfs too: a lower layer below / would overlap it
                mkdir "$DIR/t/machine"
                cp -a "$DIR/machine/." "$DIR/t/machine/"
                lower=$DIR/t/machine:/
        fi
        hidden=()
        if [ -f "$DIR/hidden" ]; then
                while read -r d; do
                        case $d in /?*) ;; *) continue ;; esac
                        # a directory the machine has, at that path (not through a
                        # link: a directory in the upper layer would hide the link)
                        if { [ -d "$d" ] && [ "$(realpath "$d")" = "$d" ]; } || [ -d "$DIR/t/machine$d" ]; then
                                mkdir -p "$DIR/t/upper$d"
                                hidden+=("$DIR/t/upper$d")
                        fi
                done <"$DIR/hidden"
        fi
        if [ ${#hidden[@]} -gt 0 ]; then
                python3 -c 'import os, sys
for d in sys.argv[1:]:
    os.setxattr(d, "trusted.overlay.opaque", b"y")' "${hidden[@]}"
        fi
        mount -t overlay overlay -o "lowerdir=$lower,upperdir=$DIR/t/upper,workdir=$DIR/t/work" "$DIR/root"
        mount -t tmpfs -o mode=0755 e2e-run /run
fi

export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
# the console only read, not "passive": with nothing reading it, the
# container's PID 1 can block on it
# Landlock's calls are not in systemd-nspawn's own allow-list (they
# would fail with ENOSYS, as on a kernel without Landlock): the sandboxes
# get their default Landlock domain as on the host
more=()
if [ -f "$DIR/nspawn-args" ]; then
        while read -r a; do
                case $a in --bind=/dev/*) more+=("$a") ;; esac
        done <"$DIR/nspawn-args"
fi
exec systemd-nspawn "${more[@]}" -q -D "$DIR/root" -M "$MACHINE" --register=no --keep-unit --private-network \
        --system-call-filter="landlock_create_ruleset landlock_add_rule landlock_restrict_self" \
        --console=read-only --bind="$DIR/state:/var/lib/sandbox" -b "$@"
