#!/usr/bin/env bash
# The fault walk (test-fault-walk.sh) for a sandbox whose state is capped
# (<state size="32M"/>): the same trials, and after each no loop device
# left bound to the state's image.
FAULT_WALK_STATE_SIZE=32M exec "$(dirname "$0")/test-fault-walk.sh" "$@"
