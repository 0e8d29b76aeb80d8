/* board.c - board facts common to every backend.  See board.h. */
#include "tpp/board.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[TPP_BOARD_KEY_COUNT] = {
    [TPP_BOARD_SERIAL] = "serial",
    [TPP_BOARD_VBIOS_VERSION] = "vbios_version",
    [TPP_BOARD_ECC_MODE] = "ecc_mode",
    [TPP_BOARD_ECC_MODE_PENDING] = "ecc_mode_pending",
    [TPP_BOARD_MIG_MODE] = "mig_mode",
    [TPP_BOARD_MIG_MODE_PENDING] = "mig_mode_pending",
    [TPP_BOARD_PERSISTENCE_MODE] = "persistence_mode",
    [TPP_BOARD_PCIE_LINK_GEN] = "pcie_link_gen",
    [TPP_BOARD_PCIE_LINK_GEN_MAX] = "pcie_link_gen_max",
    [TPP_BOARD_PCIE_LINK_WIDTH] = "pcie_link_width",
    [TPP_BOARD_PCIE_LINK_WIDTH_MAX] = "pcie_link_width_max",
    [TPP_BOARD_APP_CLOCK_SM_MHZ] = "app_clock_sm_mhz",
    [TPP_BOARD_APP_CLOCK_SM_DEFAULT_MHZ] = "app_clock_sm_default_mhz",
    [TPP_BOARD_APP_CLOCK_MEM_MHZ] = "app_clock_mem_mhz",
    [TPP_BOARD_APP_CLOCK_MEM_DEFAULT_MHZ] = "app_clock_mem_default_mhz",
    [TPP_BOARD_COMPUTE_PROCESSES] = "compute_processes",
};

/* The int member of a mode or number key; NULL for the strings. */
static int *
int_member(struct tpp_board *b, enum tpp_board_key k)
{
  int *const m[TPP_BOARD_KEY_COUNT] = {
      [TPP_BOARD_ECC_MODE] = &b->ecc_mode,
      [TPP_BOARD_ECC_MODE_PENDING] = &b->ecc_mode_pending,
      [TPP_BOARD_MIG_MODE] = &b->mig_mode,
      [TPP_BOARD_MIG_MODE_PENDING] = &b->mig_mode_pending,
      [TPP_BOARD_PERSISTENCE_MODE] = &b->persistence_mode,
      [TPP_BOARD_PCIE_LINK_GEN] = &b->pcie_link_gen,
      [TPP_BOARD_PCIE_LINK_GEN_MAX] = &b->pcie_link_gen_max,
      [TPP_BOARD_PCIE_LINK_WIDTH] = &b->pcie_link_width,
      [TPP_BOARD_PCIE_LINK_WIDTH_MAX] = &b->pcie_link_width_max,
      [TPP_BOARD_APP_CLOCK_SM_MHZ] = &b->app_clock_sm_mhz,
      [TPP_BOARD_APP_CLOCK_SM_DEFAULT_MHZ] = &b->app_clock_sm_default_mhz,
      [TPP_BOARD_APP_CLOCK_MEM_MHZ] = &b->app_clock_mem_mhz,
      [TPP_BOARD_APP_CLOCK_MEM_DEFAULT_MHZ] = &b->app_clock_mem_default_mhz,
      [TPP_BOARD_COMPUTE_PROCESSES] = &b->compute_processes,
  };
  return (unsigned)k < TPP_BOARD_KEY_COUNT ? m[k] : NULL;
}

void
tpp_board_clear(struct tpp_board *b)
{
  memset(b, 0, sizeof(*b));
  for (int k = 0; k < TPP_BOARD_KEY_COUNT; k++)
    if (int_member(b, (enum tpp_board_key)k))
      *int_member(b, (enum tpp_board_key)k) = -1;
}

const char *
tpp_board_key_name(enum tpp_board_key k)
{
  return (unsigned)k < TPP_BOARD_KEY_COUNT ? names[k] : NULL;
}

int
tpp_board_key_parse(const char *name)
{
  for (int k = 0; k < TPP_BOARD_KEY_COUNT; k++)
    if (strcmp(name, names[k]) == 0)
      return k;
  return -1;
}

int
tpp_board_known(const struct tpp_board *b, enum tpp_board_key k)
{
  int *v = int_member((struct tpp_board *)b, k);
  if (k == TPP_BOARD_SERIAL)
    return b->serial[0] != '\0';
  if (k == TPP_BOARD_VBIOS_VERSION)
    return b->vbios_version[0] != '\0';
  return v && *v >= 0;
}

void
tpp_board_unknown(struct tpp_board *b, enum tpp_board_key k, const char *fmt, ...)
{
  va_list ap;
  int *v = int_member(b, k);
  if ((unsigned)k >= TPP_BOARD_KEY_COUNT)
    return;
  if (k == TPP_BOARD_SERIAL)
    b->serial[0] = '\0';
  else if (k == TPP_BOARD_VBIOS_VERSION)
    b->vbios_version[0] = '\0';
  else
    *v = -1;
  va_start(ap, fmt);
  vsnprintf(b->why[k], sizeof(b->why[k]), fmt, ap);
  va_end(ap);
}

static void add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
add(char *buf, size_t len, const char *fmt, ...)
{
  size_t n = strlen(buf);
  va_list ap;
  if (n + 1 >= len)
    return;
  va_start(ap, fmt);
  vsnprintf(buf + n, len - n, fmt, ap);
  va_end(ap);
}

static const char *
mode(int v)
{
  return v < 0 ? "unknown" : v ? "on" : "off";
}

/* "SM 1980 MHz (default)", "SM 1410 MHz (default 1980)", "SM unknown" */
static void
app_clock(char *buf, size_t len, const char *what, int mhz, int def)
{
  if (mhz < 0)
    add(buf, len, "%s unknown", what);
  else if (def < 0)
    add(buf, len, "%s %d MHz (default unknown)", what, mhz);
  else if (mhz == def)
    add(buf, len, "%s %d MHz (default)", what, mhz);
  else
    add(buf, len, "%s %d MHz (set; default %d)", what, mhz, def);
}

void
tpp_board_describe(const struct tpp_board *b, char *buf, size_t len)
{
  buf[0] = '\0';
  if (!b->source[0]) {
    snprintf(buf, len, "not read%s%s", b->error[0] ? ": " : "", b->error);
    return;
  }
  add(buf, len, "serial %s · VBIOS %s · ECC %s", b->serial[0] ? b->serial : "unknown",
      b->vbios_version[0] ? b->vbios_version : "unknown", mode(b->ecc_mode));
  if (b->ecc_mode_pending >= 0 && b->ecc_mode_pending != b->ecc_mode)
    add(buf, len, " (%s after reboot)", mode(b->ecc_mode_pending));
  add(buf, len, " · MIG %s", mode(b->mig_mode));
  if (b->mig_mode_pending >= 0 && b->mig_mode_pending != b->mig_mode)
    add(buf, len, " (%s pending)", mode(b->mig_mode_pending));
  add(buf, len, " · persistence %s · PCIe ", mode(b->persistence_mode));
  if (b->pcie_link_gen >= 0 && b->pcie_link_width >= 0)
    add(buf, len, "gen %d x%d", b->pcie_link_gen, b->pcie_link_width);
  else
    add(buf, len, "link unknown");
  if (b->pcie_link_gen_max >= 0 && b->pcie_link_width_max >= 0)
    add(buf, len, " (max gen %d x%d)", b->pcie_link_gen_max, b->pcie_link_width_max);
  add(buf, len, " · app clocks ");
  app_clock(buf, len, "SM", b->app_clock_sm_mhz, b->app_clock_sm_default_mhz);
  add(buf, len, ", ");
  app_clock(buf, len, "memory", b->app_clock_mem_mhz, b->app_clock_mem_default_mhz);
}
