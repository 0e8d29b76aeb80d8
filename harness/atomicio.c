/* atomicio.c - temporary file, fsync, rename.  See atomicio.h. */
#include "tpp/atomicio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
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

/* The temporary file being written, for tpp_atomic_abandon (a signal handler): set only while
 * it exists.  A signal-safe unlink reads it; nothing else. */
static char pending[4096];
static volatile sig_atomic_t pending_set;

void
tpp_atomic_abandon(void)
{
  if (pending_set)
    unlink(pending);
}

/* path's directory and base name (copies: dirname and basename may modify their argument). */
static void
split_path(const char *path, char *dir, size_t dlen, char *base, size_t blen)
{
  char a[4096], b[4096];
  snprintf(a, sizeof(a), "%s", path);
  snprintf(b, sizeof(b), "%s", path);
  snprintf(dir, dlen, "%s", dirname(a));
  snprintf(base, blen, "%s", basename(b));
}

/* A temporary file beside path is named ".BASE.tppbench-tmp-PID.XXXXXX": hidden, and
 * recognisable, so a later writer removes those whose process is gone (a kill -9 between
 * creating and renaming leaves one behind). */
static int
temp_name(const char *path, char *tmp, size_t len)
{
  char dir[4096], base[4096];
  split_path(path, dir, sizeof(dir), base, sizeof(base));
  return (size_t)snprintf(tmp, len, "%s/.%s.tppbench-tmp-%ld.XXXXXX", dir, base, (long)getpid()) >=
                 len
             ? -1
             : 0;
}

static void
remove_stale(const char *path)
{
  char dir[4096], base[4096], prefix[4200], full[8400];
  size_t plen;
  struct dirent *e;
  DIR *d;
  split_path(path, dir, sizeof(dir), base, sizeof(base));
  plen = (size_t)snprintf(prefix, sizeof(prefix), ".%s.tppbench-tmp-", base);
  if (plen >= sizeof(prefix) || !(d = opendir(dir)))
    return;
  while ((e = readdir(d)) != NULL) {
    char *end;
    long pid;
    if (strncmp(e->d_name, prefix, plen) != 0)
      continue;
    pid = strtol(e->d_name + plen, &end, 10);
    if (pid <= 0 || *end != '.' || strlen(end) != 7)
      continue;
    if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue; /* its writer may still be at work */
    if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, e->d_name) < sizeof(full))
      unlink(full);
  }
  closedir(d);
}

/* The rename is durable only once the directory entry is on disk. */
static void
sync_dir(const char *path)
{
  char dir[4096], base[4096];
  int fd;
  split_path(path, dir, sizeof(dir), base, sizeof(base));
  if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
    fsync(fd);
    close(fd);
  }
}

int
tpp_atomic_check_writable(const char *path, struct tpp_diag *diag)
{
  char tmp[4096];
  struct stat st;
  int fd;
  if (strcmp(path, "-") == 0)
    return 0;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, "--out", "is a directory");
  if (temp_name(path, tmp, sizeof(tmp)) != 0)
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, "--out", "path too long");
  if ((fd = mkstemp(tmp)) < 0)
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, "--out",
                        "cannot be written: cannot create a file in its directory: %s",
                        strerror(errno));
  close(fd);
  unlink(tmp);
  remove_stale(path);
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

  if (temp_name(path, tmp, sizeof(tmp)) != 0)
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, NULL, "path too long");
  remove_stale(path);
  pending_set = 0;
  snprintf(pending, sizeof(pending), "%s", tmp);
  fd = mkstemp(pending); /* created 0600: a secret is never readable by others, even briefly */
  if (fd < 0)
    return tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "cannot create a temporary file: %s",
                        strerror(errno));
  pending_set = 1;
  snprintf(tmp, sizeof(tmp), "%s", pending);
  if (write_all(fd, data, len) != 0 || fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0)
    goto fail_write;
  if (close(fd) != 0) {
    fd = -1;
    goto fail_write;
  }
  if (place(tmp, path, replace) != 0) {
    saved = errno;
    unlink(tmp);
    pending_set = 0;
    if (saved == EEXIST)
      return tpp_diag_set(diag, TPP_EINVAL, path, 0, NULL, "already exists; not overwritten");
    return tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "cannot rename into place: %s",
                        strerror(saved));
  }
  pending_set = 0;
  sync_dir(path);
  return 0;

fail_write:
  saved = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  pending_set = 0;
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
