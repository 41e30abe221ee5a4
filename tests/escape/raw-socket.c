/* Raw sockets (sniff and forge packets on the host's network, which a
 * default sandbox shares): need CAP_NET_RAW. */
#include "probe.h"
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void) {
        step("packet-raw", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
        step("packet-dgram", socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL)));
        step("inet-raw", socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
        step("inet6-raw", socket(AF_INET6, SOCK_RAW, IPPROTO_RAW));
        return 0;
}
