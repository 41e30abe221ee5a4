/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "macro.h"
#include "runtime-share.h"

/* Directories of /run that belong to the system, not to one service:
 * sharing one would give the service the host's own sockets, locks or
 * state there (systemd's private socket, the bus, the sandboxes' locks
 * and roots, the users' runtime directories), or let it plant entries in
 * them. */
static const char *const system_names[] = {
        "systemd", "sandbox", "dbus", "user", "lock", "credentials", "log", "mount", "shm", "udev", "initramfs",
        "host", "netns", "sudo", "nologin", "utmp", "motd.d", "sendsigs.omit.d", "console-setup", "resolvconf",
        "blkid", "cryptsetup", "lvm", "mdadm", "NetworkManager", "network", "polkit", "apparmor", "selinux",
        "containers", "docker", "libvirt", "machines", "portables", "nspawn",
};

static bool name_char(char c, bool first) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                return true;
        return !first && c && strchr("_.-@+", c);
}

const char *shared_runtime_name_refused(const char *name) {
        size_t n = strlen(name);

        if (n == 0 || n > 64)
                return "it is empty or longer than 64 characters";
        if (strchr(name, '/'))
                return "it is a path, not a name directly below /run";
        for (size_t i = 0; i < n; i++)
                if (!name_char(name[i], i == 0))
                        return "it has a character a shared name may not have, or starts with one";
        for (size_t i = 0; i < ELEMENTSOF(system_names); i++)
                if (strcmp(name, system_names[i]) == 0)
                        return "it is one of the system's own directories of /run";
        return NULL;
}
