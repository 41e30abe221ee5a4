# The end-to-end harness: a real systemd booted as PID 1 in a container,
# with this build installed, for tests that drive it with systemctl.
# Source it after tap.sh:
#
#   e2e_init                 checks what it needs (or says why the whole
#                            test is skipped), installs the build into a
#                            layer of the container's root
#   e2e_profile FILE [NAME]  puts a profile in the container's
#                            /etc/sandbox/profiles (before e2e_boot)
#   e2e_file SRC DEST [MODE] puts a file in the container's root (before
#                            e2e_boot)
#   e2e_boot                 boots, and waits until systemd is up
#   c CMD...                 runs CMD in the container (all its
#                            namespaces, as root); CMD's exit status
#   e2e_stop                 halts the container and removes all of it
#                            (also done at exit, whatever happened)
#   e2e_keep PATH...         copies PATH from the running container into
#                            the layer: a later e2e_stop and e2e_boot
#                            boot again with it, as a reboot keeps /etc
#   e2e_debs PKG...          downloads, on the host, the Debian packages
#                            PKG... and those of their dependencies that
#                            the host lacks, and puts them in the layer
#                            (before e2e_boot; skips the whole test when
#                            Debian's archive cannot be reached)
#   e2e_unmask UNIT...       boots without UNIT in E2E_MASKS (before
#                            e2e_boot)
#   e2e_enable UNIT...       enables UNIT, a unit file of the machine's
#                            (/usr/lib/systemd/system), in the layer, as
#                            "systemctl enable" would (before e2e_boot):
#                            the machine's own enabling is not booted
#   e2e_machine_file SRC DEST [MODE]
#                            puts a file among the machine's own (a
#                            layer below the test's, above the host's
#                            root), for a test of what the container
#                            takes from the machine
#   e2e_idmappable           boots with a root whose file systems can all
#                            be idmapped (before e2e_boot; e2e/launch.sh):
#                            for a sandbox of a private user namespace
#   e2e_install_debs         installs them in the container (after
#                            e2e_boot), offline, as an administrator's
#                            apt-get would: their units are enabled and
#                            started by their postinst unless masked
#
# Everything lives below $TMP: the container's root is an overlay of the
# host's / in a mount namespace of its own (e2e/launch.sh), so the host's
# files, units and mount table never change; the container's processes
# run in a cgroup of the harness's own, so that cleanup ends exactly what
# it started.

E2E_DIR=$TMP/e2e
E2E_MACHINE=sandbox-e2e-$$
E2E_CGROUPS=()
E2E_LAUNCHER=
E2E_PID1=
E2E_BOOT_TIMEOUT=${E2E_BOOT_TIMEOUT:-60}

# units of the host's Debian that a boot would start and that have nothing
# to do with the tests (and would only slow them down)
E2E_MASKS=(apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
        man-db.timer man-db.service fstrim.timer e2scrub_all.timer e2scrub_reap.service
        postgresql.service redis-server.service nginx.service memcached.service ssh.service
        cron.service systemd-networkd-wait-online.service)

# The masks are the kernel command line's (systemd.mask=UNIT): runtime
# masks, links to /dev/null that a generator makes below /run/systemd at
# every boot, before any unit file is read. "systemctl unmask" does not
# remove them (it only removes links from /etc/systemd/system and
# /run/systemd/system), and a package's postinst cannot start a unit
# masked that way (deb-systemd-invoke start fails, which the postinst
# ignores: the package is installed but its service stays down). A test
# that installs a service and wants it running as Debian would run it
# calls e2e_unmask UNIT before e2e_boot.

# What the container starts. Its root is the host's, so whatever the
# machine has installed and enabled would boot with it, and change what a
# test sees (another web server enabled on port 80 keeps nginx from
# starting). So the container's copies of the directories below start
# empty: overlayfs "opaque" directories in its upper layer (e2e/launch.sh)
# hide what the machine has in them, and show only what the test's layer
# puts there. Gone with them: every unit an administrator or a package
# enabled, linked or wrote in /etc (the .wants/ and .requires/ links,
# local units, drop-ins, a default.target of the machine's), local
# units and generators, the System V links the sysv generator enables
# from, and the machine's own sandbox profiles. What stays: the wants
# that packages ship in /usr/lib/systemd/system (systemd's own, dbus's),
# the same wherever those packages are; E2E_MASKS; and what the test
# installs: its layer, and the packages e2e_install_debs installs (their
# postinsts enable them in the container). A test that needs a unit the
# machine has installed enables it itself, with e2e_enable.
# tests/e2e/test-e2e-machine-units.sh holds this.
E2E_HIDDEN=(/etc/systemd/system /etc/systemd/system-generators /usr/local/lib/systemd
        /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d /etc/rcS.d
        /etc/sandbox)

# e2e_skip_all REASON: the whole test cannot run here
e2e_skip_all() {
        echo "1..0 # SKIP $1"
        exit 0
}

e2e_init() {
        local c
        [ "$(id -u)" -eq 0 ] || e2e_skip_all "needs root"
        for c in systemd-nspawn nsenter unshare timeout; do
                command -v "$c" >/dev/null || e2e_skip_all "no $c here (apt-get install systemd-container util-linux)"
        done
        [ -x /lib/systemd/systemd ] || e2e_skip_all "no systemd to boot (/lib/systemd/systemd)"
        # e2e/launch.sh marks the hidden directories with it
        command -v python3 >/dev/null || e2e_skip_all "no python3 here"
        [ -d /sys/fs/cgroup/unified ] || [ -f /sys/fs/cgroup/cgroup.controllers ] ||
                e2e_skip_all "no cgroup2 hierarchy for the container"
        grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
                e2e_skip_all "no overlayfs for the container's root"

        trap e2e_cleanup EXIT
        mkdir -p "$E2E_DIR"/{layer,t,root,state}
        chmod 0700 "$E2E_DIR/state"
        if ! meson install -C "$BUILD_ROOT" --destdir "$E2E_DIR/layer" --no-rebuild --quiet >"$E2E_DIR/install.log" 2>&1; then
                echo "Bail out! meson install --destdir failed: $(tail -n 3 "$E2E_DIR/install.log")"
                exit 1
        fi
        follow_host_links "$E2E_DIR/layer"
        mkdir -p "$E2E_DIR/layer/etc/sandbox/profiles" "$E2E_DIR/layer/etc/tmpfiles.d"
        # a machine ID of its own: systemd-nspawn refuses the host's
        od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$E2E_DIR/layer/etc/machine-id"
        echo >>"$E2E_DIR/layer/etc/machine-id"
        # the tmpfiles snippet of systemd-nspawn's own: a second of boot
        ln -sf /dev/null "$E2E_DIR/layer/etc/tmpfiles.d/systemd-nspawn.conf"
}

# e2e_machine_path PATH: PATH below $E2E_DIR/machine, its directory
# resolved as the host resolves it (/lib is a link to /usr/lib: a
# directory "lib" in a layer would hide it)
e2e_machine_path() {
        local d
        d=$(realpath -m "${1%/*}") || return 1
        echo "$E2E_DIR/machine$d/${1##*/}"
}

# e2e_machine_file SRC DEST [MODE]: DEST as if the machine had it
# (before e2e_boot); SRC "-l TARGET" makes DEST a symbolic link to TARGET
e2e_machine_file() {
        local dest
        if [ "$1" = -l ]; then
                dest=$(e2e_machine_path "$3") || return 1
                mkdir -p "${dest%/*}" && ln -sfn "$2" "$dest"
                return
        fi
        dest=$(e2e_machine_path "$2") || return 1
        install -D -m "${3:-0644}" "$1" "$dest"
}

# e2e_enable UNIT...: UNIT, a unit file of the machine's in
# /usr/lib/systemd/system (a package's), linked in the layer's
# /etc/systemd/system as "systemctl enable" links it: in TARGET.wants/
# for each of its WantedBy=TARGET, TARGET.requires/ for RequiredBy=.
# Fails, doing nothing more, when the machine has no such unit.
e2e_enable() {
        local u d f path line t
        d=$(realpath -m /usr/lib/systemd/system)
        for u; do
                f=
                for path in "$E2E_DIR/machine$d/$u" "$d/$u"; do
                        [ -f "$path" ] && f=$path && break
                done
                [ -n "$f" ] || return 1
                while read -r line; do
                        for t in ${line#*=}; do
                                case $line in
                                WantedBy=*) t=$t.wants ;;
                                *) t=$t.requires ;;
                                esac
                                mkdir -p "$E2E_DIR/layer/etc/systemd/system/$t"
                                ln -sfn "$d/$u" "$E2E_DIR/layer/etc/systemd/system/$t/$u"
                        done
                done < <(grep -E '^(WantedBy|RequiredBy)=' "$f")
        done
}

# e2e_profile FILE [NAME]: FILE becomes the container's
# /etc/sandbox/profiles/NAME.xml (default: FILE's own name)
e2e_profile() {
        local name=${2:-$(basename "$1" .xml)}
        install -m 0644 "$1" "$E2E_DIR/layer/etc/sandbox/profiles/$name.xml"
        # the example profiles include their base profiles from beside them
        if grep -q '<include' "$1" && [ -d "$(dirname "$1")/base" ] &&
                [ ! -d "$E2E_DIR/layer/etc/sandbox/profiles/base" ]; then
                cp -R "$(dirname "$1")/base" "$E2E_DIR/layer/etc/sandbox/profiles/base"
        fi
}

# e2e_idmappable: the next boot's root is a tmpfs with copies of the
# host's /etc and /var and read-only binds of its /usr and the like
# (e2e/idmappable-root.py), not an overlay, which cannot be idmapped.
# Slower to boot; the host's documentation is left out; the
# test's /usr files are its layer's as ever.
e2e_idmappable() {
        : >"$E2E_DIR/idmappable"
}

# e2e_file SRC DEST [MODE]
e2e_file() {
        install -D -m "${3:-0644}" "$1" "$E2E_DIR/layer$2"
}

# e2e_unmask UNIT...: the next boot does not mask UNIT...
e2e_unmask() {
        local u m keep=()
        for m in "${E2E_MASKS[@]}"; do
                for u; do [ "$m" = "$u" ] && continue 2; done
                keep+=("$m")
        done
        E2E_MASKS=("${keep[@]}")
}

# apt-get on the host, with a state of its own below $E2E_DIR/apt: its
# own cache of packages and lists, no lock, no log, downloads as root (the
# _apt user cannot write below $TMP); it reads the host's sources, keys,
# package lists (unless the test's own are there) and dpkg status, and
# writes nothing of the host's
e2e_apt() {
        local lists=()
        [ -d "$E2E_DIR/apt/lists/partial" ] &&
                lists=(-o "Dir::State::Lists=$E2E_DIR/apt/lists")
        apt-get -q -o Debug::NoLocking=1 -o APT::Sandbox::User=root \
                -o "Dir::Cache=$E2E_DIR/apt/cache" -o "Dir::Cache::archives=$E2E_DIR/apt/cache/archives" \
                -o "Dir::Log=$E2E_DIR/apt/log" -o Dir::Log::Terminal=/dev/null \
                "${lists[@]}" "$@"
}

# e2e_debs PKG...: PKG... and the dependencies the host lacks, downloaded
# from Debian's archive as "apt-get install --download-only" would (the
# host's dpkg status says what is already there: that is the container's
# too), into the layer's /var/cache/e2e-debs. With the host's package
# lists first; should those be out of date (a file gone from the mirror),
# with lists of the test's own, fetched with "apt-get update".
e2e_debs() {
        command -v apt-get >/dev/null || e2e_skip_all "no apt-get to download $* with"
        mkdir -p "$E2E_DIR/apt/cache/archives/partial" "$E2E_DIR/apt/log"
        if ! e2e_apt install -y --download-only --no-install-recommends "$@" >"$E2E_DIR/apt.log" 2>&1; then
                mkdir -p "$E2E_DIR/apt/lists/partial"
                if ! e2e_apt update >>"$E2E_DIR/apt.log" 2>&1 ||
                        ! e2e_apt install -y --download-only --no-install-recommends "$@" >>"$E2E_DIR/apt.log" 2>&1; then
                        e2e_skip_all "cannot download $* from Debian's archive: $(grep -E '^(E|W):' "$E2E_DIR/apt.log" | tail -n 2 | tr '\n' ' ')"
                fi
        fi
        mkdir -p "$E2E_DIR/layer/var/cache/e2e-debs"
        find "$E2E_DIR/apt/cache/archives" -maxdepth 1 -name '*.deb' -exec cp -t "$E2E_DIR/layer/var/cache/e2e-debs" {} +
}

# e2e_install_debs: what e2e_debs downloaded, installed in the running
# container, from the files alone (the container has no network); the
# packages' maintainer scripts run under the container's systemd
e2e_install_debs() {
        local debs
        debs=$(c sh -c 'ls /var/cache/e2e-debs/*.deb 2>/dev/null')
        [ -n "$debs" ] || return 0
        # a policy-rc.d of a container image's (Docker's says 101: start
        # nothing) would keep the postinsts from starting their services
        # as on a Debian machine; the container's copy of the host's root
        # goes without it
        c rm -f /usr/sbin/policy-rc.d
        # shellcheck disable=SC2086
        c env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $debs \
                >"$E2E_DIR/install-debs.log" 2>&1
}

# e2e_cgroup_pids: every process in the harness's cgroups
e2e_cgroup_pids() {
        local g
        for g in "${E2E_CGROUPS[@]}"; do
                find "$g" -name cgroup.procs -exec cat {} + 2>/dev/null
        done | sort -un
}

# e2e_find_pid1: the container's PID 1, in the host's PID numbers: the
# process of the harness's cgroups whose innermost PID is 1
e2e_find_pid1() {
        local p ids
        for p in $(e2e_cgroup_pids); do
                ids=$(awk '$1 == "NSpid:" { $1 = ""; print }' "/proc/$p/status" 2>/dev/null)
                # two PID namespaces deep, and 1 in the inner one
                set -- $ids
                if [ $# -ge 2 ] && [ "${!#}" = 1 ]; then
                        echo "$p"
                        return 0
                fi
        done
        return 1
}

e2e_boot() {
        local g i state=
        for g in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do
                if [ -d "$g" ] && mkdir "$g/$E2E_MACHINE" 2>/dev/null; then
                        E2E_CGROUPS+=("$g/$E2E_MACHINE")
                fi
        done
        if [ ${#E2E_CGROUPS[@]} -eq 0 ] && mkdir "/sys/fs/cgroup/$E2E_MACHINE" 2>/dev/null; then
                E2E_CGROUPS+=("/sys/fs/cgroup/$E2E_MACHINE")
        fi
        [ ${#E2E_CGROUPS[@]} -gt 0 ] || { echo "Bail out! cannot make a cgroup for the container"; exit 1; }

        : >"$E2E_DIR/hidden"
        [ ${#E2E_HIDDEN[@]} -eq 0 ] || printf '%s\n' "${E2E_HIDDEN[@]}" >"$E2E_DIR/hidden"
        local masks=()
        for i in "${E2E_MASKS[@]}"; do
                masks+=("systemd.mask=$i")
        done
        (
                for g in "${E2E_CGROUPS[@]}"; do
                        echo "$BASHPID" >"$g/cgroup.procs"
                done
                # a dead test cannot leave it running for long
                exec timeout -k 10 "${E2E_TIMEOUT:-900}" unshare -m --propagation private \
                        "$SOURCE_ROOT/tests/e2e/launch.sh" "$E2E_DIR" "$E2E_MACHINE" "${masks[@]}"
        ) </dev/null >"$E2E_DIR/console.log" 2>&1 &
        E2E_LAUNCHER=$!

        for ((i = 0; i < E2E_BOOT_TIMEOUT * 10; i++)); do
                E2E_PID1=$(e2e_find_pid1) && break
                if ! kill -0 "$E2E_LAUNCHER" 2>/dev/null; then
                        echo "Bail out! the container did not start: $(tail -n 5 "$E2E_DIR/console.log" | tr '\n' ' ')"
                        exit 1
                fi
                sleep 0.1
        done
        [ -n "$E2E_PID1" ] || { echo "Bail out! no PID 1 in the container after ${E2E_BOOT_TIMEOUT}s"; exit 1; }
        # until systemd answers on its bus, and then until the boot is done
        for ((i = 0; i < E2E_BOOT_TIMEOUT * 10; i++)); do
                state=$(c systemctl is-system-running 2>&1)
                case $state in
                running | degraded) return 0 ;;
                esac
                sleep 0.1
        done
        echo "Bail out! systemd in the container is \"$state\" after ${E2E_BOOT_TIMEOUT}s: $(tail -n 5 "$E2E_DIR/console.log" | tr '\n' ' ')"
        exit 1
}

# c CMD...: CMD in the container, as root, in all its namespaces
c() {
        nsenter -t "$E2E_PID1" -a "$@"
}

# c_wait_active UNIT [SECONDS]: waits until UNIT is active; its last state
# is printed when it does not get there
c_wait_active() {
        local i s
        for ((i = 0; i < ${2:-20} * 10; i++)); do
                s=$(c systemctl is-active "$1" 2>/dev/null)
                [ "$s" = active ] && return 0
                sleep 0.1
        done
        echo "$s"
        return 1
}

e2e_stop() {
        local i
        if [ -n "$E2E_LAUNCHER" ]; then
                # nspawn turns SIGTERM into a clean halt of the container
                kill -TERM "$E2E_LAUNCHER" 2>/dev/null
                for ((i = 0; i < 150; i++)); do
                        kill -0 "$E2E_LAUNCHER" 2>/dev/null || break
                        sleep 0.1
                done
                # what is left of the harness's own cgroups, and nothing else
                for i in 1 2 3; do
                        local pids
                        pids=$(e2e_cgroup_pids)
                        [ -z "$pids" ] && break
                        kill -KILL $pids 2>/dev/null
                        sleep 0.2
                done
                wait "$E2E_LAUNCHER" 2>/dev/null
                E2E_LAUNCHER=
                E2E_PID1=
        fi
        local g
        for g in "${E2E_CGROUPS[@]}"; do
                # deepest first
                find "$g" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        E2E_CGROUPS=()
}

e2e_cleanup() {
        e2e_stop
        # the container's mounts were in its launcher's namespace, gone
        # with it; should one show on the host, leave the files be
        if grep -q " $TMP[/ ]" /proc/self/mountinfo; then
                echo "# left in place: $TMP has mounts below it on the host"
        else
                rm -rf "$TMP"
        fi
}

# e2e_keep PATH...: each PATH (absolute; a file, a symbolic link or a
# directory) as it is in the running container, copied into the layer
# that the next boot starts from
e2e_keep() {
        local p
        for p; do
                rm -rf "$E2E_DIR/layer$p"
                mkdir -p "$E2E_DIR/layer${p%/*}"
                cp -a "/proc/$E2E_PID1/root$p" "$E2E_DIR/layer$p" || return 1
        done
}

# c_profile NAME: the profile on standard input becomes the running
# container's /etc/sandbox/profiles/NAME.xml (then "daemon-reload")
c_profile() {
        c sh -c "mkdir -p /etc/sandbox/profiles && cat >/etc/sandbox/profiles/$1.xml && chmod 0644 /etc/sandbox/profiles/$1.xml"
}

# c_service_pid UNIT: the PID (in the container) of the sandboxed service
# itself: the unit's main process is the helper, its child PID 1 of the
# sandbox, and that one's child the service
c_service_pid() {
        local main init
        main=$(c systemctl show -p MainPID --value "$1") || return 1
        [ -n "$main" ] && [ "$main" != 0 ] || return 1
        init=$(c cat "/proc/$main/task/$main/children" 2>/dev/null | awk '{ print $1 }')
        [ -n "$init" ] || return 1
        c cat "/proc/$init/task/$init/children" 2>/dev/null | awk '{ print $1 }'
}

# c_service_executed UNIT: the PID of UNIT's service once the helper has
# built the sandbox and executed it (before, the process is still the
# helper). "systemctl start" of a simple or exec profile returns after
# that (the helper's READY=1), but not with --no-block, nor for a
# sandbox started otherwise: so this waits, up to 10 s.
c_service_executed() {
        local pid comm
        for _ in $(seq 100); do
                pid=$(c_service_pid "$1") && [ -n "$pid" ] &&
                        comm=$(c cat "/proc/$pid/comm" 2>/dev/null) && [ "$comm" != sandbox-helper ] &&
                        { echo "$pid"; return 0; }
                sleep 0.1
        done
        return 1
}

# c_service_comm UNIT: the command name of UNIT's executed service
c_service_comm() {
        local pid
        pid=$(c_service_executed "$1") && c cat "/proc/$pid/comm" 2>/dev/null
}

# in_sandbox UNIT CMD...: CMD, as root with all privileges, in the mount,
# PID, UTS and IPC namespaces (and so the root) of UNIT's service: to look
# at the sandbox from inside, not to test what the service may do
in_sandbox() {
        local unit=$1 pid
        shift
        pid=$(c_service_executed "$unit") || { echo "no service process in $unit" >&2; return 125; }
        c nsenter -t "$pid" -m -p -u -i "$@"
}

# the container's mount table, without its mount IDs (which change)
c_mounts() {
        c cat /proc/1/mountinfo | cut -d' ' -f4- | sort
}

# check_mounts_as DESCRIPTION BEFORE: an assertion that the container's
# mount table is BEFORE (an earlier c_mounts), showing the difference
check_mounts_as() {
        local now
        now=$(c_mounts)
        if [ "$2" = "$now" ]; then
                ok "$1"
        else
                not_ok "$1"
                diag "$(diff <(echo "$2") <(echo "$now"))"
        fi
}

# e2e_sleep_profile [XML...]: a light profile on standard output, whose
# service sleeps, with /etc and /var overlays (the real mounts) and XML,
# lines of its own, in <sandbox>
e2e_sleep_profile() {
        printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<sandbox>' \
                '  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>' \
                '  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>' "$@" '</sandbox>'
}
