/* backend.h - what a compute backend (OpenCL, CUDA, HIP) provides to the harness.
 *
 * A backend is a table of functions (struct tpp_backend, designated initializers, one
 * instance per backend, in harness/backends/<name>/) listed in the registry in
 * harness/backend.c.  The harness never calls a vendor API itself: it asks a backend to
 * list its devices, open one, and prepare a workload (one kernel at one precision); it then
 * times and checks the workload through the generic struct tpp_workload, so every backend
 * is measured the same way (measure.h), against the per-clock rates the core reads for it
 * (rates.h).
 *
 * The device is the core's (struct tpp_device): the backend keeps its own state behind
 * `priv` and never casts a core struct to its own.  What a device is goes in the neutral
 * struct tpp_device_info; what only one backend knows (a compute capability, a gfx
 * architecture, an extension list) is a fact, a short key/value list written under the
 * device's identity in the result.
 *
 * "No driver" and "no device" are not errors: probe() reports them as a status with a
 * reason, and the harness prints it and goes on with the other backends.
 */
#ifndef TPP_BACKEND_H
#define TPP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "tpp/board.h"
#include "tpp/error.h"
#include "tpp/precision.h"

/* --- facts: what one backend knows of a device ------------------------------------------ */

#define TPP_FACTS_MAX 8
#define TPP_FACT_KEY_LEN 32 /* keys: lower case letters, digits, '_' */
#define TPP_FACTS_TEXT 4608 /* all values together, NULs included */

struct tpp_facts {
  unsigned n;
  struct {
    char key[TPP_FACT_KEY_LEN];
    unsigned short at; /* offset of the value in text */
  } e[TPP_FACTS_MAX];
  unsigned short used;
  char text[TPP_FACTS_TEXT];
};

/* Set (or replace) a fact.  0; TPP_EINVAL for a key that is not [a-z0-9_]+ or too long;
 * TPP_ENOMEM when the facts are full (TPP_FACTS_MAX keys or TPP_FACTS_TEXT bytes). */
int tpp_facts_set(struct tpp_facts *f, const char *key, const char *value);
/* The value of a fact, or NULL. */
const char *tpp_facts_get(const struct tpp_facts *f, const char *key);

/* Everything the result records about a device's identity. */
struct tpp_device_info {
  char backend[16];  /* "opencl" */
  char selector[32]; /* "opencl:0.0": what --device accepts */
  int platform_index, device_index;
  char name[256];
  char vendor[256];
  char platform[256];
  char driver_version[128];
  char device_version[128]; /* "OpenCL 3.0 ...", "sm_90", "gfx942" */
  char type[16];            /* "cpu", "gpu", "accelerator", "other" */
  int compute_units;
  double clock_mhz_max; /* as the device reports it; NAN when it does not */
  uint64_t global_mem_bytes;
  uint64_t max_alloc_bytes;
  char pci_bus_id[32];                   /* "0000:65:00.0", or "" when the platform does not say */
  unsigned pci_vendor_id, pci_device_id; /* from the PCI bus (hwloc); 0 unknown */
  char uuid[48];                         /* "GPU-…" where the driver gives one, else "" */
  double power_limit_w;                  /* enforced board power limit; NAN unknown */
  struct tpp_facts facts;                /* compute_capability, gfx_arch, extensions, ... */
  /* What the board's management library says (serial, VBIOS, ECC, MIG, PCIe link...), when
   * the backend has one (has_board; CUDA: NVML). */
  int has_board;
  struct tpp_board board;
  int simulated; /* the driver says it is a simulator (tests): never a measurement */
};

/* --- a device, opened ---------------------------------------------------------------- */

struct tpp_backend;
struct tpp_rates; /* rates.h */

/* Owned by the core (tpp_device_open); the backend's open() fills arch and priv. */
struct tpp_device {
  const struct tpp_backend *backend;
  struct tpp_device_info info;
  /* The architecture the backend's rate table is keyed by ("sm_90", "gfx942", "haswell");
   * "" when the device has none: its rows are then unchecked. */
  char arch[32];
  struct tpp_rates *rates; /* profiles/rates/<backend>.json, or NULL when there is none */
  void *priv;              /* the backend's own state */
};

/* --- workloads ----------------------------------------------------------------------- */

/* One measurable piece of work, prepared by a backend.  `units` is the launch size in the
 * workload's own unit (work-groups, blocks, bytes...): the driver chooses it. */
struct tpp_workload {
  void *impl;
  const char *kernel;  /* variant name for the report, e.g. "fma.float16x16"; the rate table's
                        * "variant" entries are matched against it */
  double ops_per_unit; /* operations (MAC = 2) or bytes per unit */
  size_t min_units, max_units;
  int lower_bound; /* the kernel is known to stay below the device's peak path */
  /* The embedded image the kernel was loaded from (OpenCL source text, CUDA fatbin, HIP
   * code object) and its length: its SHA-256 goes on the row.  NULL when there is none. */
  const void *image;
  size_t image_len;
  /* One launch of `units`, timed on the device (events), not including host overhead.
   * `timed` is 1 for the launches whose times are the row's samples (telemetry is sampled
   * only while those are in flight), 0 for warm-up and sizing.  On failure `why` names the
   * failing call and the runtime's own error (name and text), e.g. "cuLaunchKernel:
   * CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)". */
  int (*run)(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen);
  /* Check the output of the last launch against host-computed values.  0, TPP_EVERIFY
   * (why says where and what), or another error. */
  int (*verify)(void *impl, size_t units, char *why, size_t whylen);
  void (*release)(void *impl);
};

/* Device-memory access patterns of the bandwidth rows. */
enum tpp_bw_kind { TPP_BW_READ, TPP_BW_WRITE, TPP_BW_COPY, TPP_BW_KIND_COUNT };
const char *tpp_bw_kind_name(enum tpp_bw_kind k); /* "read", "write", "copy" */
int tpp_bw_kind_parse(const char *name, enum tpp_bw_kind *out);

/* --- telemetry ----------------------------------------------------------------------- */

#define TPP_CLOCK_EVENTS_LEN 160

/* What was observed of the device while a row ran.  Unknown numbers are NAN. */
struct tpp_telemetry {
  double clock_mhz; /* mean clock over the row's timed launches: the per-clock peak
                     * (efficiency) uses it; the > 100% gate uses clock_mhz_max */
  double clock_mhz_min, clock_mhz_max;
  const char *clock_source; /* "host-add-chain", "nvml", "amd-smi", "device-max" */
  int samples;              /* readings behind the figures */
  double power_w, power_w_max;
  double temperature_c_max;
  /* Clock events (throttle reasons) seen, named by the backend ("sw_power_cap",
   * "thermal"), comma-separated, each once. */
  char clock_events[TPP_CLOCK_EVENTS_LEN];
};

/* All unknown (NAN, 0 samples, no source, no events). */
void tpp_telemetry_clear(struct tpp_telemetry *t);
/* Add a clock event by name (kept once; names that do not fit are dropped). */
void tpp_telemetry_add_event(struct tpp_telemetry *t, const char *name);

/* --- backends ------------------------------------------------------------------------ */

struct tpp_backend_status {
  int available;    /* the runtime loaded and answered */
  char reason[256]; /* why not, or a short description of what was found */
};

/* Required: name, probe, list, open, close.  Every other member may be NULL, which the
 * core reports: no prepare_peak, every compute row is unsupported ("the <name> backend has
 * no compute kernels"); no prepare_bandwidth, the memory rows likewise; no telemetry pair,
 * the clock is the device's stated maximum (clock_source "device-max"); no reset_count,
 * never reset. */
struct tpp_backend {
  const char *name;
  int has_tensor_path; /* rows are measured on the tensor path too */
  /* The architectures its rate table (profiles/rates/<name>.json) may name, NULL-terminated;
   * NULL: any name of lower case letters, digits, '-', '_' and '.'. */
  const char *const *rate_archs;
  /* Can this backend run here?  Fills status; never fails. */
  void (*probe)(struct tpp_backend_status *status);
  /* All devices (malloc'd array, caller frees).  0 with *n == 0 when there are none. */
  int (*list)(struct tpp_device_info **devices, size_t *n, char *why, size_t whylen);
  /* Open dev->info's device: set dev->priv and dev->arch.  Errors fill diag. */
  int (*open)(struct tpp_device *dev, struct tpp_diag *diag);
  /* Release dev->priv (dev itself is the core's). */
  void (*close)(struct tpp_device *dev);
  /* Prepare variant `index` (0, 1, ...) of the peak workload for a precision on a path:
   * a precision may have several kernels (accumulator types, instruction families), each
   * its own row.  TPP_EUNSUP with a reason when the device (or the backend) has none
   * (index 0), TPP_ENOENT past the last variant. */
  int (*prepare_peak)(struct tpp_device *dev, enum tpp_precision p, enum tpp_path path, int index,
                      struct tpp_workload *w, char *why, size_t whylen);
  /* Bandwidth workload of one access pattern; ops_per_unit counts bytes. */
  int (*prepare_bandwidth)(struct tpp_device *dev, enum tpp_bw_kind kind, struct tpp_workload *w,
                           char *why, size_t whylen);
  /* Telemetry around one row: begin() before its first launch, end() after its last.
   * end() fills what the backend could observe, NAN for the rest. */
  void (*telemetry_begin)(struct tpp_device *dev);
  void (*telemetry_end)(struct tpp_device *dev, struct tpp_telemetry *out);
  /* How many times the device was reset since it was opened (a sticky error poisons a GPU
   * context; the backend resets it so the next rows run). */
  unsigned (*reset_count)(struct tpp_device *dev);
};

/* The registry: NULL-terminated, in the order devices are listed. */
const struct tpp_backend *const *tpp_backends(void);
const struct tpp_backend *tpp_backend_find(const char *name);
/* How many backends the registry holds. */
size_t tpp_backend_count(void);

/* Open a listed device: its backend, its rate table (a malformed table is TPP_EPARSE with
 * diag naming file, line and field: never a silently disabled > 100% gate), then the
 * backend's open().  tpp_device_close releases all of it (NULL is fine). */
int tpp_device_open(const struct tpp_device_info *info, struct tpp_device **dev,
                    struct tpp_diag *diag);
void tpp_device_close(struct tpp_device *dev);

/* Theoretical operations per clock of the whole device for a workload of this precision,
 * path and kernel variant: its rate table's entry for dev->arch times the compute units;
 * NAN when the table, the architecture or the entry is missing. */
double tpp_device_ops_per_clock(const struct tpp_device *dev, enum tpp_precision p,
                                enum tpp_path path, const char *variant);

/* Every device of every available backend (malloc'd, caller frees).  The status of
 * backend b of the registry goes to status[b] for b < status_cap (status may be NULL). */
int tpp_devices_list(struct tpp_device_info **devices, size_t *n, struct tpp_backend_status *status,
                     size_t status_cap);

/* Pick devices by selector: "opencl:0.1", "opencl" (all its devices), "0" (index in the
 * full list), "all", a name substring, or NULL/"default" (the first GPU, else the first
 * device).  Writes the first `cap` matching indexes into `picked` and the number of
 * matches, which may exceed cap, into *n_picked; TPP_ENOENT when nothing matches. */
int tpp_devices_select(const struct tpp_device_info *devices, size_t n, const char *selector,
                       size_t *picked, size_t cap, size_t *n_picked);

#endif
