#!/usr/bin/env bash
# Bounded state (test-state-disk.sh) with the overlays made as where the
# kernel takes no overlay layer on a detached mount (before Linux 6.15):
# by a child in a mount namespace of its own, with the state's ext4
# attached there (helper/overlay.c), forced on any kernel with
# SANDBOX_FAULT_OVERLAYS=attached. Needs a fault-injection build.
TEST_OVERLAYS=attached exec "$(dirname "$0")/test-state-disk.sh" "$@"
