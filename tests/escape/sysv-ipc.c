/* System V shared memory of the host, by key and by id: the sandbox has
 * its own IPC namespace. Modes:
 *   host-create KEY   (outside) make a segment; prints its id
 *   host-attached ID  (outside) prints how many have it attached
 *   host-remove ID    (outside) remove it
 *   probe KEY ID      (inside) find, attach and remove it */
#include "probe.h"
#include <sys/ipc.h>
#include <sys/shm.h>

int main(int argc, char **argv) {
        struct shmid_ds ds;
        int id;

        if (argc < 3)
                return 2;
        if (!strcmp(argv[1], "host-create")) {
                id = shmget((key_t) strtol(argv[2], NULL, 0), 4096, IPC_CREAT | IPC_EXCL | 0600);
                if (id < 0)
                        return 1;
                printf("%d\n", id);
                return 0;
        }
        if (!strcmp(argv[1], "host-attached")) {
                if (shmctl(atoi(argv[2]), IPC_STAT, &ds) < 0)
                        return 1;
                printf("%lu\n", (unsigned long) ds.shm_nattch);
                return 0;
        }
        if (!strcmp(argv[1], "host-remove"))
                return shmctl(atoi(argv[2]), IPC_RMID, NULL) < 0;
        if (argc < 4)
                return 2;
        step("shmget-key", shmget((key_t) strtol(argv[2], NULL, 0), 0, 0));
        id = atoi(argv[3]);
        step("shmat-id", (long) shmat(id, NULL, 0) == -1 ? -1 : 0);
        step("shmctl-stat-id", shmctl(id, IPC_STAT, &ds));
        step("shmctl-remove-id", shmctl(id, IPC_RMID, NULL));
        return 0;
}
