# Sourced after private-ns.sh (and before tap.sh) by a test of bridged sandboxes run by the
# real helper on this machine: runs the whole test again in a network
# namespace of its own as well, so that the bridge, the veth pairs, the
# nftables tables and the sysctls it makes (all of them per network
# namespace) are never the machine's; and puts the build's
# sandbox-network where the helper runs it, over the installed one, in
# this mount namespace only (an overlay on the libexec directory, its
# upper layer in the test's $TMP).
if [ -z "${SANDBOX_TEST_NET_NS:-}" ]; then
        SANDBOX_TEST_NET_NS=1 exec unshare -n "$0" "$@"
        echo "1..0 # SKIP cannot make a network namespace here"
        exit 0
fi
ip link set lo up 2>/dev/null || true
# /run, the namespace's own: the leases (/run/sandbox/.network) and run
# locks of two such tests side by side are not each other's
if [ "$(id -u)" -eq 0 ] && ! mount -t tmpfs -o mode=0755,size=16m,nosuid,nodev sandbox-test-run /run; then
        echo "1..0 # SKIP cannot mount a tmpfs on /run in this namespace"
        exit 0
fi

# net_use_build_program BUILD_ROOT: 0 when the build has sandbox-network
# and it is now at the path the helper runs it from
net_use_build_program() {
        local tool dir up
        tool=$(sed -n 's/^#define SANDBOX_NETWORK_PATH "\(.*\)"$/\1/p' "$1/config.h")
        [ -n "$tool" ] && [ -x "$1/helper/sandbox-network" ] || return 1
        dir=$(dirname "$tool")
        up=$TMP/libexec-overlay
        mkdir -p "$up/upper" "$up/work" || return 1
        # the libexec directory's parent, whatever is there already
        mount -t overlay -o "lowerdir=$(dirname "$dir"),upperdir=$up/upper,workdir=$up/work" sandbox-test-libexec \
                "$(dirname "$dir")" || return 1
        mkdir -p "$dir" && cp "$1/helper/sandbox-network" "$tool"
}

# net_require BUILD_ROOT TOOL...: the tools and the build's
# sandbox-network in place, or the test says skipped and ends
net_require() {
        local root=$1 t
        shift
        for t in "$@"; do
                if ! command -v "$t" >/dev/null; then
                        echo "1..0 # SKIP no $t here"
                        exit 0
                fi
        done
        if ! net_use_build_program "$root"; then
                echo "1..0 # SKIP this build has no sandbox-network (it needs libmnl and libnftables)"
                exit 0
        fi
}
