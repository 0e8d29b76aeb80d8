/* atomicio.h - write output files whole or not at all.
 *
 * The data goes to a temporary file beside the target, is flushed to disk, and is renamed
 * over the target.  A reader never sees a half-written file, and a failure leaves any
 * previous file untouched.  The temporary file is ".BASE.tppbench-tmp-PID.XXXXXX" in the
 * target's directory; one whose process is gone (killed between creating and renaming) is
 * removed by the next write to the same target.  The directory is fsynced after the rename.
 */
#ifndef TPP_ATOMICIO_H
#define TPP_ATOMICIO_H

#include <jansson.h>
#include <stddef.h>

#include "tpp/error.h"

/* "-" means stdout.  0, or TPP_EIO / TPP_ENOMEM with diag naming the file. */
int tpp_atomic_write(const char *path, const char *data, size_t len, struct tpp_diag *diag);

/* As tpp_atomic_write (no "-"), giving the file `mode`; replace = 0 fails with TPP_EINVAL
 * ("already exists") instead of replacing an existing file, checked atomically (link). */
int tpp_atomic_write_new(const char *path, const char *data, size_t len, unsigned mode, int replace,
                         struct tpp_diag *diag);

/* Can a file be created at path ("-": yes)?  Creates and removes a temporary file in its
 * directory, and removes stale temporary files of path whose writer is gone.  0, or
 * TPP_EINVAL (bad usage: exit 2) with diag naming the file. */
int tpp_atomic_check_writable(const char *path, struct tpp_diag *diag);

/* Remove the temporary file being written, if any: async-signal-safe, for a handler that
 * is about to kill the process. */
void tpp_atomic_abandon(void);

/* Serialise (indented, keys in insertion order, trailing newline) and write atomically. */
int tpp_atomic_write_json(const char *path, const json_t *root, struct tpp_diag *diag);

#endif
