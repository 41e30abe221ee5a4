/* Memory both writable and executable, and sockets of address families
 * a service does not use: what <memory-deny-write-execute/> and
 * <address-families> refuse. Nothing is connected to or executed. */
#include "probe.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>

#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif

static long mapped(void *p) {
        if (p == MAP_FAILED)
                return -1;
        munmap(p, 4096);
        return 0;
}

static long made(int fd) {
        if (fd >= 0)
                close(fd);
        return fd;
}

static long pair(int family, int type) {
        int sv[2];

        if (socketpair(family, type | SOCK_CLOEXEC, 0, sv) < 0)
                return -1;
        close(sv[0]);
        close(sv[1]);
        return 0;
}

int main(void) {
        const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
        void *p;
        int id;

        step("mmap-rw", mapped(mmap(NULL, 4096, PROT_READ | PROT_WRITE, anon, -1, 0)));
        step("mmap-rx", mapped(mmap(NULL, 4096, PROT_READ | PROT_EXEC, anon, -1, 0)));
        step("mmap-wx", mapped(mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, anon, -1, 0)));
        p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, anon, -1, 0);
        if (p != MAP_FAILED) {
                step("mprotect-rw", mprotect(p, 4096, PROT_READ | PROT_WRITE));
                step("mprotect-x", mprotect(p, 4096, PROT_READ | PROT_EXEC));
                munmap(p, 4096);
        }
        id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        if (step("shmget", id) >= 0) {
                p = shmat(id, NULL, SHM_EXEC);
                step("shmat-x", p == (void *) -1 ? -1 : 0);
                if (p != (void *) -1)
                        shmdt(p);
                shmctl(id, IPC_RMID, NULL);
        }
        step("socket-unix", made(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)));
        step("socket-inet", made(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
        step("socket-inet6", made(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
        step("socket-netlink", made(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0)));
        step("socket-packet", made(socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
        step("socket-vsock", made(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0)));
        /* AF_NETLINK in the low 32 bits, which are all the kernel reads */
        step("socket-netlink-high", made((int) syscall(SYS_socket, 0x100000000UL | AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0)));
        step("socketpair-unix", pair(AF_UNIX, SOCK_STREAM));
        step("socketpair-netlink", pair(AF_NETLINK, SOCK_RAW));
        return 0;
}
