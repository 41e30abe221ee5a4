# Write into /etc and /var: both are overlays, so the writes succeed in
# the sandbox and must land in its state directory, not on the host.
# $1: a unique token for file names. Each line says what happened.
token=$1
if echo escape >/etc/escape-"$token" 2>/dev/null; then echo "etc-create ok"; else echo "etc-create failed"; fi
if echo "# escape-$token" >>/etc/hostname 2>/dev/null; then echo "etc-append ok"; else echo "etc-append failed"; fi
if echo escape >/var/tmp/escape-"$token" 2>/dev/null; then echo "var-create ok"; else echo "var-create failed"; fi
if rm -f /etc/passwd 2>/dev/null && [ ! -e /etc/passwd ]; then echo "etc-delete ok"; else echo "etc-delete failed"; fi
