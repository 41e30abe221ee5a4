/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "buffer.h"
#include "unit-props.h"

/*
 * The unit's settings that confine the service (systemd.exec(5),
 * systemd.resource-control(5)) and that a profile does not carry as an
 * element of its own: each one is either implied by what every sandbox
 * does (the note says how), or has nothing in a profile, and the
 * conversion refuses it unless the caller accepts the widening.
 */
typedef struct ConfiningSetting {
        const char *name;       /* as in a unit file, and the bus property */
        const char *signature;  /* of the bus property */
        const char *unset;      /* for "s": the value that means not set */
        const char *implied;    /* how the sandbox does it; NULL: it does not */
} ConfiningSetting;

extern const ConfiningSetting confining_settings[];
extern const unsigned n_confining_settings;
const ConfiningSetting *confining_setting(const char *name);
/* The value of name in u->confining, NULL when it is not set */
const char *confining_value(const UnitProps *u, const char *name);

/* The rlimits of systemd.exec(5), "LimitCPU" to "LimitRTTIME" */
extern const char *const unit_limit_names[];
#define N_UNIT_LIMITS 16U

/* Whether u's network is one of the sandbox's own: PrivateNetwork=, or
 * IPAddressDeny=any with no more than the loopback allowed */
bool convert_own_network(const UnitProps *u);

/* The capabilities that u's settings take from its bounding set, as
 * systemd does at start: CAP_MKNOD and CAP_SYS_RAWIO for PrivateDevices=,
 * CAP_SYS_MODULE for ProtectKernelModules=, CAP_SYSLOG for
 * ProtectKernelLogs=, CAP_SYS_TIME and CAP_WAKE_ALARM for ProtectClock=;
 * and for PrivateUsers= the network ones, which act in the host's user
 * namespace only */
uint64_t convert_dropped_capabilities(const UnitProps *u);

/* MemoryDenyWriteExecute=yes, SystemCallFilter= (convert-syscalls.h) and
 * RestrictAddressFamilies= of u as the
 * elements of <security> that carry them, into b, with a note each; a
 * value that cannot be carried (an unknown family) is left to
 * convert_widening(), which refuses it. 0 or -ENOMEM. */
int convert_restrictions(Buffer *b, const UnitProps *u, char ***notes);

/* Every setting of u that confines and that the profile does not carry:
 * an implied one a note; any other an error line each, 1 when there was
 * one and accept is false, or a note that says what is lost when it is
 * true (--accept-widening). keep: the capabilities the profile keeps. 0
 * or 1, -ENOMEM. */
int convert_widening(const UnitProps *u, uint64_t keep, bool accept, char ***notes);
