/* A unix socket in a runtime directory shared with the host:
 *   share-socket listen PATH   binds PATH, serves one connection ("pong")
 *   share-socket connect PATH  connects to PATH, reports what it read */
#include "probe.h"

#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        char buf[16] = {};
        int s, c;

        if (argc != 3 || strlen(argv[2]) >= sizeof(a.sun_path))
                return 2;
        strcpy(a.sun_path, argv[2]);
        s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (strcmp(argv[1], "connect") == 0) {
                if (step("connect", connect(s, (struct sockaddr *) &a, sizeof(a))) < 0)
                        return 0;
                say("reply", "%s", read(s, buf, sizeof(buf) - 1) > 0 ? buf : "none");
                return 0;
        }
        alarm(30);
        if (step("bind", bind(s, (struct sockaddr *) &a, sizeof(a))) < 0 || step("listen", listen(s, 1)) < 0)
                return 0;
        c = step("accept", accept(s, NULL, NULL));
        if (c >= 0)
                step("send", write(c, "pong", 4));
        return 0;
}
