/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "buffer.h"
#include "unit-props.h"

/* <exec-start-pre>, <exec-start-post>, <exec-reload> and <exec-stop>
 * from the unit's ExecStartPre=, ExecStartPost=, ExecReload= and
 * ExecStop=, in order, appended to b. A word is expanded as the unit's
 * ExecStart= is (convert-env.h), but $MAINPID and ${MAINPID}, which the
 * sandbox expands when the command runs. A line of *notes for each
 * pre- and post-start command, which the unit may have run with more
 * than the service has. Returns 0, -ENOMEM, or -EINVAL after saying why. */
int convert_hooks(Buffer *b, const UnitProps *u, char ***notes);
