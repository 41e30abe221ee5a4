#!/bin/bash
# End-to-end: a short soak (bench/soak.sh) under the container's systemd:
# 12 sandboxes started, restarted, stopped, exec'd into, cloned and their
# clones deleted, their helpers killed (also halfway through set-up), in a
# random order for two minutes (SOAK_SECONDS); then, each a TAP line: no
# mount, lock, cgroup, MCS pair, directory or process left, what was
# written to each /var is there, and no helper error in the journal but
# those after the soak's own kills. The seed is printed (SEED=... again).
exec "$(dirname "$0")/../../bench/soak.sh" "${SOAK_SECONDS:-120}" "${SOAK_SANDBOXES:-12}"
