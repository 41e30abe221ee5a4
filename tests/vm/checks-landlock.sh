# Landlock on Debian's own kernel (Linux 6.1: Landlock ABI 2, which does
# not restrict truncate(2)), driven over ssh in the guest booted with
# AppArmor; sourced by test-vm.sh, which calls checks_landlock. There the
# helper's filter refuses truncate(2), so that a file below a read-only
# rule stays whole even on the sandbox's writable /etc overlay; and the
# default domain lets a service run, without its scopes (ABI 6).

checks_landlock() {
        local abi out

        abi=$(g perl -e 'print syscall(444, 0, 0, 1)')
        diag "the guest's Landlock ABI: $abi"
        if ! [ "${abi:-0}" -gt 0 ] 2>/dev/null; then
                skip "Landlock: truncate(2) of a read-only file is refused" "no Landlock in the guest's kernel"
                return
        fi
        cat <<EOF | g_profile ll-old
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
  <security>
    <landlock>
      <read-only path="/usr"/><read-only path="/etc"/>
      <read-write path="/tmp"/><read-write path="/dev/null"/>
    </landlock>
  </security>
</sandbox>
EOF
        g systemctl daemon-reload
        g systemctl start sandbox@ll-old
        check_active sandbox@ll-old
        out=$(g sandboxctl exec ll-old -- /usr/bin/perl -e \
                'print truncate("/etc/hostname", 0) ? "truncated" : "refused: $!", "\n"' 2>&1)
        check_eq "Landlock: truncate(2) of a file below a read-only path is refused" "$out" "refused: Permission denied"
        check "... and the file is whole" test -n "$(g sandboxctl exec ll-old -- /bin/cat /etc/hostname 2>/dev/null)"
        out=$(g sandboxctl exec ll-old -- /bin/sh -c 'echo x >>/etc/hostname && echo written || echo refused' 2>/dev/null)
        check_eq "Landlock: writing it is refused" "$out" refused
        out=$(g sandboxctl exec ll-old -- /bin/sh -c 'echo x >/tmp/f && echo written' 2>&1)
        check_eq "Landlock: a read-write path is written" "$out" written
        g systemctl stop sandbox@ll-old

        # the default domain, where the ABI is older than 6: the service
        # runs and writes where its mounts are writable; the scopes are
        # not there
        cat <<EOF | g_profile ll-default
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
</sandbox>
EOF
        g systemctl daemon-reload
        g systemctl start sandbox@ll-default
        check_active sandbox@ll-default
        out=$(g sandboxctl exec ll-default -- /bin/sh -c 'echo x >/tmp/f && echo x >/etc/ll-probe && echo written' 2>&1)
        check_eq "the default Landlock domain on ABI $abi: /tmp and the /etc overlay are written" "$out" written
        if [ "$abi" -lt 6 ]; then
                out=$(g sandboxctl exec ll-default -- /bin/sh -c 'kill -0 1 && echo signalled' 2>&1)
                check_eq "the default Landlock domain on ABI $abi: no scopes, process 1 can be signalled" "$out" signalled
        fi
        g systemctl stop sandbox@ll-default
}
