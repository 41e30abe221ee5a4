/* swapon(2)/swapoff(2) on a file that does not exist: the capability
 * check comes first (EPERM), with it the call fails ENOENT. */
#include "probe.h"
#include <sys/swap.h>

int main(void) {
        step("swapon", swapon("/tmp/escape-no-such-swap", 0));
        step("swapoff", swapoff("/tmp/escape-no-such-swap"));
        return 0;
}
