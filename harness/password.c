/* password.c - a password from a file or the terminal.  See password.h. */
#include "tpp/password.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The terminal's settings while echo is off, for the signal handler to put back. */
static int tty_fd = -1;
static struct termios tty_saved;
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void
restore_and_reraise(int sig)
{
  if (tty_fd >= 0)
    tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* One line from fd into buf, without its end of line.  -1 on a read error; 1 when longer
 * than max bytes (the rest of the line is read and dropped); 0 otherwise. */
static int
read_line(int fd, char *buf, size_t max)
{
  size_t n = 0;
  int too_long = 0;
  for (;;) {
    char c;
    ssize_t r = read(fd, &c, 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0 || c == '\n')
      break;
    if (n < max)
      buf[n++] = c;
    else
      too_long = 1;
  }
  if (n > 0 && buf[n - 1] == '\r')
    n--;
  buf[n] = '\0';
  return too_long;
}

static int
from_file(const char *file, const char *what, char *buf, struct tpp_diag *diag)
{
  int fd = open(file, O_RDONLY | O_CLOEXEC), r;
  if (fd < 0)
    return tpp_diag_set(diag, errno == ENOENT ? TPP_ENOENT : TPP_EIO, file, 0, what,
                        "cannot read the password file: %s", strerror(errno));
  r = read_line(fd, buf, TPP_PASSWORD_MAX);
  close(fd);
  if (r < 0)
    return tpp_diag_set(diag, TPP_EIO, file, 0, what, "cannot read the password file");
  if (r > 0)
    return tpp_diag_set(diag, TPP_EINVAL, file, 1, what, "the password is longer than %d bytes",
                        TPP_PASSWORD_MAX);
  return 0;
}

/* Ask once on the open terminal fd, echo off. */
static int
ask(int fd, const char *prompt, char *buf)
{
  struct sigaction sa, old[sizeof(caught) / sizeof(caught[0])];
  struct termios quiet;
  int r;

  if (tcgetattr(fd, &tty_saved) != 0)
    return -1;
  quiet = tty_saved;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  quiet.c_lflag |= ECHONL;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = restore_and_reraise;
  sigemptyset(&sa.sa_mask);
  tty_fd = fd;
  for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
    sigaction(caught[i], &sa, &old[i]);
  /* Echo off before the prompt: what is typed once the prompt shows is kept. */
  if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0 || write(fd, prompt, strlen(prompt)) < 0)
    r = -1;
  else
    r = read_line(fd, buf, TPP_PASSWORD_MAX);
  tcsetattr(fd, TCSAFLUSH, &tty_saved);
  tty_fd = -1;
  for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
    sigaction(caught[i], &old[i], NULL);
  return r;
}

static int
from_terminal(const char *key_file, const char *prompt, int confirm, char *buf,
              struct tpp_diag *diag)
{
  char again[TPP_PASSWORD_MAX + 1];
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), r, err = 0;

  if (fd < 0 || !isatty(fd)) {
    if (fd >= 0)
      close(fd);
    return tpp_diag_set(diag, TPP_EINVAL, key_file, 0, NULL,
                        "the secret key is encrypted and there is no terminal to ask its "
                        "password on: give --password-file FILE or set %s",
                        TPP_PASSWORD_ENV);
  }
  if ((r = ask(fd, prompt, buf)) < 0) {
    err = tpp_diag_set(diag, TPP_EIO, key_file, 0, NULL,
                       "cannot read the password from the terminal");
  } else if (r > 0) {
    err = tpp_diag_set(diag, TPP_EINVAL, key_file, 0, NULL, "the password is longer than %d bytes",
                       TPP_PASSWORD_MAX);
  } else if (confirm) {
    if (ask(fd, "Password (again): ", again) != 0 || strcmp(buf, again) != 0)
      err = tpp_diag_set(diag, TPP_EINVAL, key_file, 0, NULL, "the passwords differ");
    sodium_memzero(again, sizeof(again));
  }
  close(fd);
  return err;
}

int
tpp_password_get(const char *password_file, const char *key_file, const char *prompt, int confirm,
                 char *buf, size_t cap, struct tpp_diag *diag)
{
  const char *env = getenv(TPP_PASSWORD_ENV);
  int err;

  if (cap <= TPP_PASSWORD_MAX)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, NULL, "password buffer too small");
  if (password_file)
    err = from_file(password_file, "--password-file", buf, diag);
  else if (env && *env)
    err = from_file(env, TPP_PASSWORD_ENV, buf, diag);
  else
    err = from_terminal(key_file, prompt, confirm, buf, diag);
  if (err)
    tpp_password_wipe(buf, cap);
  return err;
}

void
tpp_password_wipe(char *buf, size_t cap)
{
  sodium_memzero(buf, cap);
}
