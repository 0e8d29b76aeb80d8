/* backend.h - what a compute backend (OpenCL, later CUDA) provides to the harness.
 *
 * A backend is a table of functions (struct tpp_backend, designated initializers, one
 * static instance per backend file) listed in the registry in harness/backend.c.  The
 * harness never calls a vendor API itself: it asks a backend to list its devices, open
 * one, and prepare a workload (one kernel at one precision); it then times and checks the
 * workload through the generic struct tpp_workload, so every backend is measured the same
 * way (measure.h).
 *
 * "No driver" and "no device" are not errors: probe() reports them as a status with a
 * reason, and the harness prints it and goes on with the other backends.
 */
#ifndef TPP_BACKEND_H
#define TPP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "tpp/error.h"
#include "tpp/precision.h"

/* Everything the result records about a device's identity. */
struct tpp_device_info {
  char backend[16];  /* "opencl" */
  char selector[32]; /* "opencl:0.0": what --device accepts */
  int platform_index, device_index;
  char name[256];
  char vendor[256];
  char platform[256];
  char driver_version[128];
  char device_version[128]; /* "OpenCL 3.0 ..." */
  char type[16];            /* "cpu", "gpu", "accelerator", "other" */
  int compute_units;
  double clock_mhz_max; /* as the device reports it; NAN when it does not */
  uint64_t global_mem_bytes;
  uint64_t max_alloc_bytes;
  char pci_bus_id[32];                   /* "0000:65:00.0", or "" when the platform does not say */
  unsigned pci_vendor_id, pci_device_id; /* from the PCI bus (hwloc); 0 unknown */
  char uuid[48];                         /* "GPU-…" where the driver gives one, else "" */
  int cc_major, cc_minor;                /* CUDA compute capability; 0 elsewhere */
  double power_limit_w;                  /* enforced board power limit; NAN unknown */
  char extensions[4096];
  int simulated; /* the driver says it is a simulator (tests): never a measurement */
};

/* One measurable piece of work, prepared by a backend.  `units` is the launch size in the
 * workload's own unit (work-groups, blocks, bytes...): the driver chooses it. */
struct tpp_workload {
  void *impl;
  const char *kernel;  /* variant name for the report, e.g. "fma.float16x16" */
  double ops_per_unit; /* operations (MAC = 2) or bytes per unit */
  size_t min_units, max_units;
  int lower_bound; /* the kernel is known to stay below the device's peak path */
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

/* What was observed of the device while a row ran.  Unknown numbers are NAN. */
struct tpp_telemetry {
  double clock_mhz; /* mean clock over the row's timed launches: the per-clock peak
                     * (efficiency) uses it; the > 100% gate uses clock_mhz_max */
  double clock_mhz_min, clock_mhz_max;
  const char *clock_source; /* "host-add-chain", "nvml", "device-max" */
  int samples;              /* readings behind the figures */
  double power_w, power_w_max;
  double temperature_c_max;
  unsigned long long clock_event_reasons; /* OR of NVML clock-event (throttle) bits seen */
};

/* All unknown (NAN, 0 samples, no source). */
void tpp_telemetry_clear(struct tpp_telemetry *t);

/* Names of the clock-event bits set in `reasons`, comma-separated, into buf. */
void tpp_clock_events_format(unsigned long long reasons, char *buf, size_t len);

struct tpp_backend_status {
  int available;    /* the runtime loaded and answered */
  char reason[256]; /* why not, or a short description of what was found */
};

struct tpp_device; /* a backend's open device */

struct tpp_backend {
  const char *name;
  int has_tensor_path; /* rows are measured on the tensor path too */
  /* Can this backend run here?  Fills status; never fails. */
  void (*probe)(struct tpp_backend_status *status);
  /* All devices (malloc'd array, caller frees).  0 with *n == 0 when there are none. */
  int (*list)(struct tpp_device_info **devices, size_t *n, char *why, size_t whylen);
  int (*open)(const struct tpp_device_info *info, struct tpp_device **dev, struct tpp_diag *diag);
  void (*close)(struct tpp_device *dev);
  /* Prepare variant `index` (0, 1, ...) of the peak workload for a precision on a path:
   * a precision may have several kernels (accumulator types, instruction families), each
   * its own row.  TPP_EUNSUP with a reason when the device (or the backend) has none
   * (index 0), TPP_ENOENT past the last variant. */
  int (*prepare_peak)(struct tpp_device *dev, enum tpp_precision p, enum tpp_path path, int index,
                      struct tpp_workload *w, char *why, size_t whylen);
  /* Bandwidth workload: kind is "read", "write" or "copy"; ops_per_unit counts bytes. */
  int (*prepare_bandwidth)(struct tpp_device *dev, const char *kind, struct tpp_workload *w,
                           char *why, size_t whylen);
  /* Theoretical ops per clock for the whole device at this precision/path, NAN when not
   * known.  Multiplied by the clock during the run, it gives the per-clock peak. */
  double (*ops_per_clock)(struct tpp_device *dev, enum tpp_precision p, enum tpp_path path,
                          int variant);
  /* Telemetry around one row: begin() before its first launch, end() after its last.
   * end() fills what the backend could observe, NAN for the rest. */
  void (*telemetry_begin)(struct tpp_device *dev);
  void (*telemetry_end)(struct tpp_device *dev, struct tpp_telemetry *out);
  /* Optional (NULL: never): how many times the device was reset since it was opened (a
   * sticky error poisons a CUDA context; the backend resets it so the next rows run). */
  unsigned (*reset_count)(struct tpp_device *dev);
};

/* The registry: NULL-terminated, in the order devices are listed. */
const struct tpp_backend *const *tpp_backends(void);
const struct tpp_backend *tpp_backend_find(const char *name);

/* How many backends the registry holds. */
size_t tpp_backend_count(void);

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
