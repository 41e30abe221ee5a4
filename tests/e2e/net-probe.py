#!/usr/bin/python3
# The network probe of test-e2e-bridge.sh, run in the container, in its
# sandboxes and in the test's peer namespace:
#
#   net-probe.py serve tcp|udp|both PORT TAG [ADDRESS]
#       a server that logs every client's address to standard output (the
#       journal) as "TAG connection from ADDRESS" (UDP: "TAG datagram from
#       ADDRESS") and answers it "TAG sees ADDRESS"; on every address,
#       IPv4 and IPv6, unless ADDRESS is given; "both": TCP and UDP on PORT
#
#   net-probe.py connect ADDRESS PORT TIMEOUT RETRY tcp|udp
#       a client: prints "ok ANSWER", or "error ERRNO" of its last try
#       (ETIMEDOUT when nothing came back in TIMEOUT seconds); tries again
#       until RETRY seconds have passed (0: once)
import errno
import socket
import sys
import threading
import time


def peer(a):
    return a[0][7:] if a[0].startswith("::ffff:") else a[0]


def listener(kind, port, bind):
    if bind:
        s = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((bind, port))
        return s
    try:
        s = socket.socket(socket.AF_INET6, kind)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::", port))
        return s
    except OSError:
        s = socket.socket(socket.AF_INET, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        return s


def serve_tcp(s, tag):
    s.listen(64)
    while True:
        conn, a = s.accept()
        print(f"{tag} connection from {peer(a)}", flush=True)
        try:
            conn.sendall(f"{tag} sees {peer(a)}\n".encode())
        except OSError:
            pass
        conn.close()


def serve_udp(s, tag):
    while True:
        _, a = s.recvfrom(512)
        print(f"{tag} datagram from {peer(a)}", flush=True)
        s.sendto(f"{tag} sees {peer(a)}\n".encode(), a)


def serve(proto, port, tag, bind=None):
    port = int(port)
    servers = []
    if proto in ("tcp", "both"):
        servers.append((serve_tcp, listener(socket.SOCK_STREAM, port, bind)))
    if proto in ("udp", "both"):
        servers.append((serve_udp, listener(socket.SOCK_DGRAM, port, bind)))
    print(f"{tag} listening on {proto} port {port}", flush=True)
    for f, s in servers[1:]:
        threading.Thread(target=f, args=(s, tag), daemon=True).start()
    servers[0][0](servers[0][1], tag)


def connect(host, port, timeout, retry, proto):
    port, timeout, retry = int(port), float(timeout), float(retry)
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    end = time.monotonic() + retry
    while True:
        s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
        s.settimeout(timeout)
        try:
            s.connect((host, port))
            if proto == "udp":
                s.send(b"query")
            data = s.recv(512).decode(errors="replace").strip()
            if data:
                print("ok " + data)
                return
            err = "EOF"
        except TimeoutError:
            err = "ETIMEDOUT"
        except OSError as e:
            err = errno.errorcode.get(e.errno, str(e.errno))
        finally:
            s.close()
        if time.monotonic() >= end:
            print("error " + err)
            return
        time.sleep(0.2)


if __name__ == "__main__":
    {"serve": serve, "connect": connect}[sys.argv[1]](*sys.argv[2:])
