/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state's key as a systemd credential, for sandboxctl, which has no
 * unit to decrypt it (state-key.h): made and decrypted by systemd-creds,
 * in an environment of its own, the plain key on pipes alone. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"
#include "macro.h"
#include "state-key.h"

/* systemd-creds, from /usr/bin or /bin; NULL when not installed */
static const char *creds_program(void) {
        static const char *const creds[] = { "/usr/bin/systemd-creds", "/bin/systemd-creds" };

        for (size_t i = 0; i < ELEMENTSOF(creds); i++)
                if (access(creds[i], X_OK) == 0)
                        return creds[i];
        return NULL;
}

int state_key_from_credential(int state, const char *shown, StateKey *ret) {
        char *argv[] = { (char *) "systemd-creds", (char *) "decrypt", (char *) "--name=" STATE_KEY_CREDENTIAL,
                         (char *) "-", (char *) "-", NULL };
        char *envp[] = { (char *) "PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *) "LC_ALL=C", NULL };
        _cleanup_close_ int cred = -EBADF, in = -EBADF, out = -EBADF;
        const char *program = creds_program();
        int pipefd[2], status, r;
        struct stat st;
        pid_t pid;

        ret->size = 0;
        cred = openat(state, STATE_KEY_FILE, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (cred < 0 && errno == ENOENT)
                return log_error_errno(-ENOENT, "%s: encrypted, but its key %s is missing", shown, STATE_KEY_FILE);
        if (cred < 0)
                return log_error_errno(-errno, "%s: its key %s: %m", shown, STATE_KEY_FILE);
        if (fstat(cred, &st) < 0)
                return log_error_errno(-errno, "%s: its key %s: %m", shown, STATE_KEY_FILE);
        /* an encrypted credential is a few KiB */
        if (!S_ISREG(st.st_mode) || st.st_uid != 0 || st.st_size > 64 * 1024)
                return log_error_errno(-EPERM, "%s: its key %s is not a regular file of root's, of at most 64 KiB", shown,
                                       STATE_KEY_FILE);
        if (!program)
                return log_error_errno(-ENOENT, "%s: systemd-creds is not installed; it decrypts the state's key", shown);
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "%s: pipe: %m", shown);
        in = pipefd[0];
        out = pipefd[1];
        pid = spawn_program(program, argv, envp, cred, out, 127);
        if (pid < 0)
                return pid;
        close(out);
        out = -EBADF;
        r = state_key_read_fd(in, STATE_KEY_FILE, ret);
        if (spawn_wait(pid, &status) < 0) {
                state_key_wipe(ret);
                return log_error_errno(-errno, "%s: wait for systemd-creds: %m", shown);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                state_key_wipe(ret);
                return log_error_errno(-EPERM, "%s: systemd-creds could not decrypt its key %s (status %d)", shown,
                                       STATE_KEY_FILE, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
        return r;
}

int state_key_credential_make(int state, const char *shown) {
        static const char new_name[] = "." STATE_KEY_FILE ".new";
        char *argv[] = { (char *) "systemd-creds", (char *) "encrypt", (char *) "--name=" STATE_KEY_CREDENTIAL,
                         (char *) "-", (char *) "-", NULL };
        char *envp[] = { (char *) "PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *) "LC_ALL=C", NULL };
        _cleanup_close_ int out = -EBADF, in = -EBADF, feed = -EBADF;
        const char *program = creds_program();
        int pipefd[2], status;
        StateKey key;
        pid_t pid;
        ssize_t w;

        if (faccessat(state, STATE_KEY_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return 0;
        if (errno != ENOENT)
                return log_error_errno(-errno, "%s: its key %s: %m", shown, STATE_KEY_FILE);
        if (!program)
                return log_error_errno(-ENOENT, "%s: systemd-creds is not installed; it keeps the state's key", shown);
        /* what an interrupted attempt left goes first; written whole
         * under this name, and renamed */
        if (unlinkat(state, new_name, 0) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "%s: %s: %m", shown, new_name);
        out = openat(state, new_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0)
                return log_error_errno(-errno, "%s: %s: %m", shown, new_name);
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "%s: pipe: %m", shown);
        in = pipefd[0];
        feed = pipefd[1];
        pid = spawn_program(program, argv, envp, in, out, 127);
        if (pid < 0)
                return pid;
        close(in);
        in = -EBADF;
        /* the plain key goes through the pipe alone, never to a file */
        if (state_key_generate(&key) < 0)
                w = -1;
        else
                w = write(feed, key.bytes, key.size);
        state_key_wipe(&key);
        close(feed);
        feed = -EBADF;
        if (spawn_wait(pid, &status) < 0)
                return log_error_errno(-errno, "%s: wait for systemd-creds: %m", shown);
        if (w != STATE_KEY_SIZE || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || fsync(out) < 0) {
                (void) unlinkat(state, new_name, 0);
                return log_error_errno(-EIO, "%s: systemd-creds could not encrypt a new key", shown);
        }
        if (renameat(state, new_name, state, STATE_KEY_FILE) < 0)
                return log_error_errno(-errno, "%s: %s: %m", shown, STATE_KEY_FILE);
        return 1;
}
