/* board.h - what a board's management library says of the board a device sits on: serial,
 * firmware, ECC, MIG, persistence, PCIe link and application clocks.  The keys are the same
 * for every vendor (NVML fills them for CUDA devices; amd-smi has the same notions), and each
 * is unknown (null in the result) with the reason it is: a function the library lacks, or
 * the library's own error ("nvmlDeviceGetSerial: Not Supported").  Written under the
 * device's identity as `board` (docs/result-schema.md). */
#ifndef TPP_BOARD_H
#define TPP_BOARD_H

#include <stddef.h>

enum tpp_board_key {
  TPP_BOARD_SERIAL,
  TPP_BOARD_VBIOS_VERSION,
  TPP_BOARD_ECC_MODE,
  TPP_BOARD_ECC_MODE_PENDING,
  TPP_BOARD_MIG_MODE,
  TPP_BOARD_MIG_MODE_PENDING,
  TPP_BOARD_PERSISTENCE_MODE,
  TPP_BOARD_PCIE_LINK_GEN,
  TPP_BOARD_PCIE_LINK_GEN_MAX,
  TPP_BOARD_PCIE_LINK_WIDTH,
  TPP_BOARD_PCIE_LINK_WIDTH_MAX,
  TPP_BOARD_APP_CLOCK_SM_MHZ,
  TPP_BOARD_APP_CLOCK_SM_DEFAULT_MHZ,
  TPP_BOARD_APP_CLOCK_MEM_MHZ,
  TPP_BOARD_APP_CLOCK_MEM_DEFAULT_MHZ,
  TPP_BOARD_COMPUTE_PROCESSES,
  TPP_BOARD_KEY_COUNT
};

#define TPP_BOARD_WHY_LEN 96

struct tpp_board {
  char source[16]; /* the library that answered: "nvml"; "" when none did */
  char error[160]; /* why nothing could be read (no library, no handle); "" */
  char serial[32];
  char vbios_version[32];
  /* Modes: 1 enabled, 0 disabled, -1 unknown.  Numbers: -1 unknown. */
  int ecc_mode, ecc_mode_pending;
  int mig_mode, mig_mode_pending;
  int persistence_mode;
  int pcie_link_gen, pcie_link_gen_max, pcie_link_width, pcie_link_width_max;
  int app_clock_sm_mhz, app_clock_sm_default_mhz, app_clock_mem_mhz, app_clock_mem_default_mhz;
  int compute_processes; /* processes holding a compute context on the device */
  char why[TPP_BOARD_KEY_COUNT][TPP_BOARD_WHY_LEN]; /* why a key is unknown; "" */
};

/* Everything unknown, no source, no reasons. */
void tpp_board_clear(struct tpp_board *b);
/* "serial", "ecc_mode", ... (the result's keys); NULL out of range. */
const char *tpp_board_key_name(enum tpp_board_key k);
/* The key of that name, or -1. */
int tpp_board_key_parse(const char *name);
/* Is the key's value known (a non-empty string, a mode or number not negative)? */
int tpp_board_known(const struct tpp_board *b, enum tpp_board_key k);
/* Mark a key unknown, with the reason. */
void tpp_board_unknown(struct tpp_board *b, enum tpp_board_key k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The board in one line for people: "serial 1654… · VBIOS 96.00… · ECC on · MIG off ·
 * persistence on · PCIe gen 5 x16 (max 5 x16) · app clocks SM 1980 MHz (default), memory
 * 2619 MHz (default)"; unknown keys read "ECC unknown".  "" when there is no board at all. */
void tpp_board_describe(const struct tpp_board *b, char *buf, size_t len);

#endif
