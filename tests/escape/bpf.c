/* eBPF: a map and a socket filter program, the smallest things the
 * bpf(2) call makes (and the way to the verifier's attack surface). */
#include "probe.h"
#include <linux/bpf.h>

int main(void) {
        union bpf_attr map = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 };
        struct bpf_insn prog[] = {
                { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
                { .code = BPF_JMP | BPF_EXIT },
        };
        union bpf_attr load = {
                .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
                .insn_cnt = 2,
                .insns = (unsigned long) prog,
                .license = (unsigned long) "GPL",
        };

        step("map-create", syscall(SYS_bpf, BPF_MAP_CREATE, &map, sizeof(map)));
        step("prog-load", syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load)));
        return 0;
}
