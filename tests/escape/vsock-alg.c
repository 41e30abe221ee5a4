/* Address families no network namespace confines: AF_VSOCK talks to the
 * hypervisor and its other guests (a service with <network mode="none">
 * would still reach them), AF_ALG is the kernel's crypto API. Only the
 * sockets are made: nothing is connected to. */
#include "probe.h"
#include <sys/socket.h>

static long made(int fd) {
        if (fd >= 0)
                close(fd);
        return fd;
}

int main(void) {
        step("socket-vsock-stream", made(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0)));
        step("socket-vsock-dgram", made(socket(AF_VSOCK, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
        step("socket-alg", made(socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)));
        step("socket-unix", made(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)));
        return 0;
}
