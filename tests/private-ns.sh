# Sourced first (before tap.sh) by a test that changes mounts: runs the
# whole test again in a mount namespace of its own, private, so that no
# mount it makes (or leaves behind) is ever seen on the host.
if [ -z "${SANDBOX_TEST_PRIVATE_NS:-}" ]; then
        SANDBOX_TEST_PRIVATE_NS=1 exec unshare -m --propagation private "$0" "$@"
        echo "1..0 # SKIP cannot make a private mount namespace here"
        exit 0
fi

# private_run_systemd DIR: /run/systemd is DIR, in this namespace only, so
# that a test's own stand-in for systemd's notification socket is where
# the helper sends to (below /run/systemd/, nowhere else). Where there is
# no /run/systemd to bind over, /run itself is a tmpfs of this namespace.
private_run_systemd() {
        mkdir -p "$1" || return 1
        if [ ! -d /run/systemd ]; then
                mount -t tmpfs -o mode=0755 sandbox-test-run /run && mkdir /run/systemd || return 1
        fi
        mount --bind "$1" /run/systemd
}
