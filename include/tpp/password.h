/* password.h - the password of an encrypted secret key: from a file for scripts and tests,
 * else asked on the terminal with echo off. */
#ifndef TPP_PASSWORD_H
#define TPP_PASSWORD_H

#include <stddef.h>

#include "tpp/error.h"

/* Longest password, in bytes: minisign reads at most this many, so a longer one would not
 * open the same key there. */
#define TPP_PASSWORD_MAX 1023
/* The environment variable naming a password file when no --password-file is given. */
#define TPP_PASSWORD_ENV "TPPBENCH_PASSWORD_FILE"

/* The password for key_file into buf (cap > TPP_PASSWORD_MAX): the first line of
 * `password_file` (its end of line removed); NULL: of the file $TPPBENCH_PASSWORD_FILE
 * names; that unset or empty: asked on the controlling terminal with `prompt`, twice when
 * `confirm` (a new key), echo off.  0, or an error with the diag saying what to do (no
 * terminal, unreadable file, too long, the two entries differ). */
int tpp_password_get(const char *password_file, const char *key_file, const char *prompt,
                     int confirm, char *buf, size_t cap, struct tpp_diag *diag);

/* Zero a password buffer (in a way the compiler keeps). */
void tpp_password_wipe(char *buf, size_t cap);

#endif
