# vsftpd: an FTP server, Type=simple, whose ExecStartPre= makes the empty
# directory it chroots each session into (/var/run/vsftpd/empty). The
# client: a session on 127.0.0.1:21, its greeting and the answer to USER
# (the session's own process, set up in that directory, gives it). No
# data to keep.

# ftp_session: "served" after a greeting and the request for a password
ftp_session() {
        local out
        out=$(c timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/21 || exit 1
                read -r l <&3; printf "%s\n" "$l"
                printf "USER e2e\r\n" >&3; read -r l <&3; printf "%s\n" "$l"
                printf "QUIT\r\n" >&3' 2>&1 | tr -d '\r')
        if grep -q '^220' <<<"$out" && grep -q '^331' <<<"$out"; then
                echo served
        else
                echo "$out"
                return 1
        fi
}

vsftpd_checks() {
        service vsftpd vsftpd.service
        t_eq "vsftpd.service: an FTP session gets a greeting and asks for a password" "$(retry ftp_session)" served
        convert_service vsftpd.service vsftpd
        check_active vsftpd
        # its ExecStartPre= makes /var/run/vsftpd/empty in the sandbox's own
        # /run; without it, each session says "500 OOPS" and ends
        t_eq "sandbox@vsftpd: an FTP session gets a greeting and asks for a password" "$(retry ftp_session)" served
        check_read_only vsftpd
        restart vsftpd
        t_eq "sandbox@vsftpd: answers after a restart" "$(retry ftp_session)" served
}
