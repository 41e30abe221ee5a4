#!/usr/bin/python3
# idmappable-root.py DIR ROOT: builds, on ROOT (a fresh tmpfs), a copy of
# the host's root whose every file system can be idmapped, for
# e2e/launch.sh when DIR/idmappable is there (a test of the sandbox's
# private user namespace, whose helper idmaps the container's root, /etc
# and /var: an overlay, the container's usual root, cannot be).
#   - /etc and /var: copies (/var without the package archives, its tmp
#     and the host's own /var/lib/sandbox), as each boot starts fresh;
#   - /usr, /boot and /opt: read-only binds of the host's (one file system
#     each, no submounts), except along the paths where the container gets
#     files of its own (DIR/layer, DIR/machine, the files of the packages
#     in the layer's /var/cache/e2e-debs, the hidden directories of
#     DIR/hidden): there the directory is a directory of ROOT's tmpfs, its
#     host files copied in (those over 1 MiB bound read-only, file by
#     file), its other subdirectories bound read-only. Nothing of the
#     host's is writable from the container, and its trees are never
#     written;
#   - /proc, /sys, /dev, /run, /tmp: empty (systemd-nspawn and the
#     container's systemd mount them); /home, /media, /mnt, /root, /srv:
#     empty, the container's own; the host's top-level links as they are;
#     anything else at the top is left out.
# Then DIR/machine and DIR/layer are copied over it. The host's
# documentation is left out (NO_DOCS). Runs in launch.sh's
# mount namespace: every mount here dies with it.
import ctypes
import os
import stat
import subprocess
import sys
import tarfile

DIR, ROOT = sys.argv[1], sys.argv[2]

COPY = {"etc", "var"}
EMPTY = {"proc": 0o555, "sys": 0o555, "dev": 0o755, "run": 0o755, "tmp": 0o1777,
         "home": 0o755, "media": 0o755, "mnt": 0o755, "root": 0o700, "srv": 0o755}
BIND = {"usr", "boot", "opt"}
# not copied: the host's package archives, temporary files, and its own
# sandboxes' state (the container gets DIR/state there)
VAR_LEFT_OUT = ["./var/cache/apt/archives/*.deb", "./var/cache/apt/*.bin", "./var/tmp/*",
                "./var/lib/sandbox/*"]
# files over this size are bound, not copied, into a grafted directory
BIG = 1 << 20
# documentation: empty in the container (the packages installed there put
# theirs in), not grafted, a bind for each of hundreds of directories
NO_DOCS = ("/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/lintian",
           "/usr/share/locale")
# what e2e/lib.sh changes of the host's files (e2e_install_debs removes it)
CHANGED = ("/usr/sbin/policy-rc.d",)

MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
libc = ctypes.CDLL(None, use_errno=True)
mounts = 0

HIDDEN, FILE = "hidden", "file"

# systemd stops the mounts below /usr at shutdown, with their files
# (systemctl's library among them): the halt would fail. Without their
# default dependencies, they are not stopped (Conflicts=umount.target).
KEEP_MOUNTED = "/usr/lib/systemd/system/usr-.mount.d/e2e-idmappable.conf"


def bind_ro(src, dst):
    global mounts
    for s, flags in ((src, MS_BIND), (None, MS_REMOUNT | MS_BIND | MS_RDONLY)):
        if libc.mount(s and s.encode(), dst.encode(), None, flags, None) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "mount %s on %s: %s" % (src, dst, os.strerror(e)))
    mounts += 1


def host_path(p):
    """p as the host resolves its directory (/lib/x -> /usr/lib/x)"""
    d, base = os.path.split(os.path.normpath("/" + p))
    return os.path.join(os.path.realpath(d), base)


def insert(tree, path, leaf, force=False):
    parts = [x for x in path.split("/") if x]
    node = tree
    for x in parts[:-1]:
        nxt = node.get(x)
        if not isinstance(nxt, dict):
            nxt = node[x] = {}
        node = nxt
    if parts and (force or not isinstance(node.get(parts[-1]), dict)):
        node[parts[-1]] = leaf


def layer_paths(top):
    for d, dirs, files in os.walk(top):
        rel = os.path.relpath(d, top)
        for f in files:
            yield "/" + os.path.normpath(os.path.join(rel, f))
        for f in dirs:
            if os.path.islink(os.path.join(d, f)):
                yield "/" + os.path.normpath(os.path.join(rel, f))


def deb_paths(deb):
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=p.stdout, mode="r|") as t:
        for m in t:
            if not m.isdir():
                yield host_path(m.name)
    p.wait()


def same_owner_mode(src, dst):
    st = os.lstat(src)
    os.chown(dst, st.st_uid, st.st_gid)
    os.chmod(dst, stat.S_IMODE(st.st_mode))


def graft(host, target, node):
    """target: a directory of ROOT's tmpfs standing for the host's directory
    host, with node's paths its own"""
    if not os.path.isdir(target):
        os.mkdir(target)
    same_owner_mode(host, target)
    copy = []
    for e in os.scandir(host):
        child, t = node.get(e.name), os.path.join(target, e.name)
        isdir = e.is_dir(follow_symlinks=False)
        if child == HIDDEN:
            if isdir:
                os.mkdir(t)
                same_owner_mode(e.path, t)
        elif isinstance(child, dict) and isdir:
            graft(e.path, t, child)
        elif child is None and isdir:
            os.mkdir(t)
            bind_ro(e.path, t)
        elif child is None and e.is_file(follow_symlinks=False) and e.stat(follow_symlinks=False).st_size > BIG:
            open(t, "w").close()
            bind_ro(e.path, t)
        else:
            # small files, links, and a host file that the container's own
            # replaces (a package's files are renamed over: not a mount)
            copy.append(e.path)
    for i in range(0, len(copy), 500):
        subprocess.run(["cp", "-a", "--no-dereference", "-t", target] + copy[i:i + 500], check=True)


def main():
    tree = {}
    insert(tree, KEEP_MOUNTED, FILE)
    for top in (os.path.join(DIR, "machine"), os.path.join(DIR, "layer")):
        if os.path.isdir(top):
            for p in layer_paths(top):
                insert(tree, host_path(p), FILE)
    debs = os.path.join(DIR, "layer/var/cache/e2e-debs")
    if os.path.isdir(debs):
        for f in sorted(os.listdir(debs)):
            if f.endswith(".deb"):
                for p in deb_paths(os.path.join(debs, f)):
                    insert(tree, p, FILE)
    for p in CHANGED:
        insert(tree, p, FILE)
    # emptied: what the layer or a package puts below them goes into the
    # empty directory
    for d in NO_DOCS:
        insert(tree, d, HIDDEN, True)
    hidden = []
    if os.path.exists(os.path.join(DIR, "hidden")):
        with open(os.path.join(DIR, "hidden")) as f:
            for line in f:
                d = line.strip()
                if d.startswith("/") and len(d) > 1 and os.path.isdir(d) and os.path.realpath(d) == d:
                    hidden.append(d)
                    insert(tree, d, HIDDEN, True)

    same_owner_mode("/", ROOT)
    for e in os.scandir("/"):
        t = os.path.join(ROOT, e.name)
        if e.is_symlink():
            os.symlink(os.readlink(e.path), t)
        elif e.name in EMPTY:
            os.mkdir(t)
            os.chmod(t, EMPTY[e.name])
        elif e.name == "etc":
            subprocess.run(["cp", "-a", "/etc", t], check=True)
        elif e.name == "var":
            tar = subprocess.Popen(["tar", "-C", "/", "--one-file-system"] +
                                   ["--exclude=" + x for x in VAR_LEFT_OUT] + ["-cf", "-", "./var"],
                                   stdout=subprocess.PIPE)
            subprocess.run(["tar", "-C", ROOT, "-xpf", "-", "--xattrs"], stdin=tar.stdout, check=True)
            if tar.wait() != 0:
                raise OSError("tar of /var failed")
        elif e.name in BIND and e.is_dir(follow_symlinks=False):
            if isinstance(tree.get(e.name), dict):
                graft(e.path, t, tree[e.name])
            else:
                os.mkdir(t)
                bind_ro(e.path, t)
    # the hidden directories of the copies start empty
    for d in hidden:
        if d.split("/")[1] in COPY:
            t = ROOT + d
            subprocess.run(["rm", "-rf", t], check=True)
            os.mkdir(t)
            same_owner_mode(d, t)
    os.makedirs(os.path.dirname(ROOT + KEEP_MOUNTED), exist_ok=True)
    with open(ROOT + KEEP_MOUNTED, "w") as f:
        f.write("# the host's files, bound read-only (tests/e2e/idmappable-root.py):\n"
                "# not unmounted at shutdown\n[Unit]\nDefaultDependencies=no\n")
    for top in (os.path.join(DIR, "machine"), os.path.join(DIR, "layer")):
        if os.path.isdir(top):
            tar = subprocess.Popen(["tar", "-C", top, "-cf", "-", "."], stdout=subprocess.PIPE)
            subprocess.run(["tar", "-C", ROOT, "-xpf", "-", "--xattrs", "--keep-directory-symlink"],
                           stdin=tar.stdout, check=True)
            if tar.wait() != 0:
                raise OSError("tar of %s failed" % top)
    print("idmappable root: %d read-only binds" % mounts, file=sys.stderr)


main()
