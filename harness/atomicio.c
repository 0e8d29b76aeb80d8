/* atomicio.c - temporary file, fsync, rename.  See atomicio.h. */
#include "tpp/atomicio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
write_all(int fd, const char *data, size_t len)
{
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Move the finished temporary file to path: rename, or (replace = 0) link, which fails
 * when path exists, so an existing file is never replaced even by a racing writer. */
static int
place(const char *tmp, const char *path, int replace)
{
  struct stat st;
  if (replace)
    return rename(tmp, path);
  if (link(tmp, path) == 0) {
    unlink(tmp);
    return 0;
  }
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP)
    return -1;
  /* A file system without hard links: check, then rename (not atomic against a racer). */
  if (lstat(path, &st) == 0) {
    errno = EEXIST;
    return -1;
  }
  return rename(tmp, path);
}

int
tpp_atomic_write_new(const char *path, const char *data, size_t len, unsigned mode, int replace,
                     struct tpp_diag *diag)
{
  char tmp[4096];
  int fd, saved;

  if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, NULL, "path too long");
  fd = mkstemp(tmp); /* created 0600: a secret is never readable by others, even briefly */
  if (fd < 0)
    return tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "cannot create a temporary file: %s",
                        strerror(errno));
  if (write_all(fd, data, len) != 0 || fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0)
    goto fail_write;
  if (close(fd) != 0) {
    fd = -1;
    goto fail_write;
  }
  if (place(tmp, path, replace) != 0) {
    saved = errno;
    unlink(tmp);
    if (saved == EEXIST)
      return tpp_diag_set(diag, TPP_EINVAL, path, 0, NULL, "already exists; not overwritten");
    return tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "cannot rename into place: %s",
                        strerror(saved));
  }
  return 0;

fail_write:
  saved = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  return tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "write failed: %s", strerror(saved));
}

int
tpp_atomic_write(const char *path, const char *data, size_t len, struct tpp_diag *diag)
{
  if (strcmp(path, "-") == 0) {
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
      return tpp_diag_set(diag, TPP_EIO, "<stdout>", 0, NULL, "write failed: %s", strerror(errno));
    return 0;
  }
  return tpp_atomic_write_new(path, data, len, 0644, 1, diag);
}

int
tpp_atomic_write_json(const char *path, const json_t *root, struct tpp_diag *diag)
{
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  size_t len;
  int err;

  if (!text)
    return tpp_diag_set(diag, TPP_ENOMEM, path, 0, NULL, "cannot serialise JSON");
  len = strlen(text);
  /* Room for the trailing newline: json_dumps gives none. */
  {
    char *nl = realloc(text, len + 2);
    if (!nl) {
      free(text);
      return tpp_diag_set(diag, TPP_ENOMEM, path, 0, NULL, "out of memory");
    }
    text = nl;
  }
  text[len++] = '\n';
  text[len] = '\0';
  err = tpp_atomic_write(path, text, len, diag);
  free(text);
  return err;
}
