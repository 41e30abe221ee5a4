# Sourced first (before tap.sh) by a test that changes mounts: runs the
# whole test again in a mount namespace of its own, private, so that no
# mount it makes (or leaves behind) is ever seen on the host.
if [ -z "${SANDBOX_TEST_PRIVATE_NS:-}" ]; then
        SANDBOX_TEST_PRIVATE_NS=1 exec unshare -m --propagation private "$0" "$@"
        echo "1..0 # SKIP cannot make a private mount namespace here"
        exit 0
fi
