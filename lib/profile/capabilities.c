/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "capabilities.h"
#include "macro.h"
#include "strv.h"

typedef struct UnsafeCapability {
        const char *name;
        const char *why; /* "it lets the service ..." */
        bool host_network_only;
} UnsafeCapability;

/*
 * Each reaches something of the host that no namespace of the sandbox
 * covers. Considered and left out, because what they reach is the
 * sandbox's own or no way out:
 *   CAP_LINUX_IMMUTABLE    flags only files it can write anyway (the ioctl needs a writable mount)
 *   CAP_WAKE_ALARM         can wake the host from suspend, nothing more
 *   CAP_BLOCK_SUSPEND      can keep the host awake, nothing more
 *   CAP_CHECKPOINT_RESTORE acts on the processes of the sandbox's own PID namespace
 *   CAP_SYS_RESOURCE       goes over limits and quotas of what it may write anyway; the unit's cgroup limits hold
 *   CAP_SYS_NICE           priorities and CPUs of the processes it sees, the sandbox's own
 *   CAP_IPC_OWNER          the sandbox has an IPC namespace of its own
 *   CAP_SYS_PACCT          accounting is per PID namespace: it records the sandbox's processes only
 *   CAP_SYS_TTY_CONFIG     acts on terminals it has; the sandbox's /dev has no console
 *   CAP_LEASE              leases on files it can open; a host process waits at most lease-break-time
 */
static const UnsafeCapability unsafe[] = {
        { "CAP_SYS_ADMIN", "mount, watch the host's file systems with fanotify, freeze them, push input into terminals: "
          "most ways out of a mount namespace", false },
        { "CAP_SYS_PTRACE", "trace any process it sees, such as the sandbox's init or a process that joins the sandbox, "
          "and reach the host's root through its /proc/PID/root", false },
        { "CAP_MKNOD", "make device nodes of the host's disks and memory, which anyone opens through the host's own "
          "mount of a writable bind", false },
        { "CAP_SYS_RAWIO", "reach the hardware directly (I/O ports, /dev/mem, raw disk commands)", false },
        { "CAP_SYS_MODULE", "load code into the host's kernel", false },
        { "CAP_SYSLOG", "read and clear the host's kernel log, kernel addresses included", false },
        { "CAP_SYS_TIME", "set the host's clock", false },
        { "CAP_DAC_READ_SEARCH", "open any file of a file system it shares with the host by its handle "
          "(open_by_handle_at), past every mount and mask", false },
        { "CAP_BPF", "load BPF programs and maps, which read the kernel's memory", false },
        { "CAP_PERFMON", "watch the host's kernel and every process through perf events", false },
        { "CAP_MAC_ADMIN", "change the host's AppArmor or Smack policy and set SELinux labels it does not know", false },
        { "CAP_MAC_OVERRIDE", "pass over the host's mandatory access control (Smack)", false },
        { "CAP_SYS_BOOT", "reboot the host or load another kernel into it (kexec)", false },
        { "CAP_SETFCAP", "give a program in a writable directory file capabilities, which it has when the host runs it", false },
        { "CAP_AUDIT_CONTROL", "change or turn off the host's audit rules", false },
        { "CAP_NET_ADMIN", "reconfigure the host's network, which it shares: interfaces, routes, firewall", true },
};

const char *capability_unsafe_why(const char *name, bool host_network) {
        for (size_t i = 0; i < ELEMENTSOF(unsafe); i++)
                if (streq(unsafe[i].name, name))
                        return !unsafe[i].host_network_only || host_network ? unsafe[i].why : NULL;
        return NULL;
}

void capability_unsafe_warnings(const Profile *p, Diagnostics *d) {
        STRV_FOREACH(c, p->keep_caps_unsafe) {
                const char *why = capability_unsafe_why(*c, p->network == NETWORK_HOST);

                diag_add(d, p->caps_origin.file, p->caps_origin.line, "warning: <capabilities>: %s is kept (keep-unsafe): "
                         "it lets the service %s", *c, why ? why : "reach past the sandbox");
        }
}
