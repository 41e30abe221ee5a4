/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Brings up the loopback interface of the calling process's (new)
 * network namespace. */
int loopback_up(void);
