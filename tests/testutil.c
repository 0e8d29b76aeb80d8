/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int
tpp_test_run(Suite *s)
{
  SRunner *sr = srunner_create(s);
  int failed;
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

char *
tpp_test_slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
    goto out;
  buf = malloc((size_t)n + 1);
  if (!buf)
    goto out;
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
    goto out;
  }
  buf[n] = '\0';
out:
  fclose(f);
  return buf;
}

int
tpp_test_sh(const char *cmd, char *out, size_t len)
{
  char full[4096];
  FILE *p;
  size_t n = 0;
  int status;
  snprintf(full, sizeof(full), "%s 2>&1", cmd);
  p = popen(full, "r");
  if (!p)
    return -1;
  if (out && len > 0) {
    n = fread(out, 1, len - 1, p);
    out[n] = '\0';
  }
  {
    char sink[4096];
    while (fread(sink, 1, sizeof(sink), p) > 0)
      ;
  }
  status = pclose(p);
  if (status == -1 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

void
tpp_test_tmpdir(char *buf, size_t len)
{
  const char *base = getenv("TMPDIR");
  snprintf(buf, len, "%s/tppbench-test-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(buf))
    buf[0] = '\0';
}
