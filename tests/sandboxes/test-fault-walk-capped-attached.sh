#!/usr/bin/env bash
# The capped fault walk (test-fault-walk-capped.sh) with the overlays made
# as where the kernel takes no overlay layer on a detached mount (before
# Linux 6.15; test-state-disk-attached.sh): the same trials, and after
# each no mount and no loop device left.
FAULT_WALK_STATE_SIZE=32M TEST_OVERLAYS=attached exec "$(dirname "$0")/test-fault-walk.sh" "$@"
