/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * SystemCallFilter= and SystemCallErrorNumber= of a unit as the profile's
 * <system-calls> (sandbox.profile(5)), from the manager, which lists
 * every name of a group (@system-service) and the "~" of a deny-list.
 */

#include "buffer.h"
#include "unit-props.h"

/* Why u's filter cannot be carried, as text for the widening's line
 * (the caller frees it), or NULL when it can (or there is none): read
 * from unit files, a call with an errno of its own, an errno a profile
 * does not take, a deny-list that names a call this machine's libseccomp
 * does not know or one the sandbox executes with. *ret is set also on
 * -ENOMEM (to NULL). */
int convert_system_calls_why(const UnitProps *u, char **ret);

/* The element into b, with a note; nothing when there is no filter or
 * it cannot be carried (convert_widening() refuses it then). Names of an
 * allow-list that this machine's libseccomp does not know are left out,
 * which only narrows, and said in a note. 0 or -ENOMEM. */
int convert_system_calls(Buffer *b, const UnitProps *u, char ***notes);
