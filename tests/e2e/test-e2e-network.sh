#!/bin/bash
# End-to-end: a real network service (Python's http.server, the example
# profile http-server.xml) answers a request from outside its sandbox.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
e2e_profile "$EXAMPLES/http-server.xml" web
e2e_boot

c systemctl start sandbox@web
check_eq "start: sandbox@web (profiles/examples/http-server.xml) is active" "$?:$(c systemctl is-active sandbox@web)" "0:active"

# the server needs a moment to listen after the unit is active
fetch() {
        c python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
            print(r.status)
            sys.stdout.write(r.read().decode(errors="replace"))
            break
    except OSError:
        time.sleep(0.1)
else:
    print("no answer")
PY
}
fetch http://127.0.0.1:8000/ >"$TMP/page"
check_eq "request from outside the sandbox: HTTP 200" "$(head -n 1 "$TMP/page")" 200
# what it serves is the host's /usr/share/doc, bound in read-only at /srv
pkg=$(c ls /usr/share/doc | head -n 1)
check "the listing shows the container's /usr/share/doc (e.g. $pkg)" grep -qF "href=\"$pkg/\"" "$TMP/page"
c journalctl -u sandbox@web -o cat --no-pager >"$TMP/journal"
check "the request is in the service's journal" grep -q '"GET / HTTP/1.1" 200' "$TMP/journal"
in_sandbox sandbox@web sh -c 'touch /srv/e2e-probe' >"$TMP/out" 2>&1
check "the served tree is read-only inside (EROFS)" grep -q 'Read-only file system' "$TMP/out"

c systemctl stop sandbox@web
check_eq "stop: the unit is inactive" "$(c systemctl is-active sandbox@web)" inactive
check_eq "after stop nothing answers on port 8000" \
        "$(c python3 -c 'import socket; s = socket.socket(); print(s.connect_ex(("127.0.0.1", 8000)) != 0)')" True

done_testing
