/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * <unit-setting section= name= value=>: unit settings that the sandbox
 * does not decide itself, passed through into the drop-in (resource
 * limits, logging, dependencies, credentials). Only the keys of the list
 * in unit-settings.c pass, each with its value checked as far as it can
 * be before systemd reads it; every other key is refused with why.
 */

#include "buffer.h"
#include "profile-parse.h"

/* Whether name (without "=") is a key that passes, in which section, and
 * whether each line adds to a list (ret_list; NULL when not needed). */
bool unit_setting_allowed(const char *name, const char **ret_section, bool *ret_list);

/* NULL when value is one systemd takes for name, written in the unit as
 * it is (one line, no escapes, no specifiers), or a phrase saying what is
 * allowed. */
const char *unit_setting_check_value(const char *name, const char *value);

/* The element, into c->profile. */
void profile_parse_unit_setting(ParseContext *c, xmlNodePtr n);

/* Keys set both by a profile element and by <unit-setting> (Restart= and
 * <service restart=>): returns the number of problems added. */
unsigned profile_check_unit_settings(const Profile *p, Diagnostics *d);

/* "NAME=VALUE" lines of the section ("Unit" or "Service"), in order. */
void unit_settings_append(Buffer *b, const Profile *p, const char *section);
