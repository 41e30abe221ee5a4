/* Reconfigure the host's network, which a default sandbox shares: set
 * the loopback interface's MTU and flags to the values they already have
 * (no change even where the call is allowed), and add a route. */
#include "probe.h"
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int main(void) {
        struct ifreq ifr = { .ifr_name = "lo" };
        struct rtentry rt = { .rt_flags = RTF_UP, .rt_dev = (char *) "lo" };
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (s < 0)
                return 2;
        if (ioctl(s, SIOCGIFMTU, &ifr) == 0)
                step("set-mtu", ioctl(s, SIOCSIFMTU, &ifr));
        if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0)
                step("set-flags", ioctl(s, SIOCSIFFLAGS, &ifr));
        /* 198.51.100.0/24 (TEST-NET-2) through lo */
        ((struct sockaddr_in *) &rt.rt_dst)->sin_family = AF_INET;
        ((struct sockaddr_in *) &rt.rt_dst)->sin_addr.s_addr = htonl(0xc6336400);
        ((struct sockaddr_in *) &rt.rt_genmask)->sin_family = AF_INET;
        ((struct sockaddr_in *) &rt.rt_genmask)->sin_addr.s_addr = htonl(0xffffff00);
        step("add-route", ioctl(s, SIOCADDRT, &rt));
        return 0;
}
