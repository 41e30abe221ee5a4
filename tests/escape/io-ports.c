/* Direct access to the machine's I/O ports. */
#include "probe.h"
#include <sys/io.h>

int main(void) {
        step("iopl", iopl(3));
        step("ioperm", ioperm(0x80, 1, 1));
        return 0;
}
