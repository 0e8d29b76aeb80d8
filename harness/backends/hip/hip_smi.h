/* hip_smi.h - AMD GPU telemetry (clock, temperature, energy, throttle events) through
 * amd-smi (libamd_smi.so, ROCm 6 and later) or, without it, rocm-smi (librocm_smi64.so.7
 * for ROCm 6/7, .so.5 for ROCm 5), both loaded at run time with dlopen.  Without either the
 * telemetry is unknown: never an error.
 *
 * Signatures, structure layouts and enum values are those of ROCm's headers:
 * github.com/ROCm/amdsmi include/amd_smi/amdsmi.h (tags rocm-6.0.0, rocm-6.1.0 and commit
 * 0ceca28, 2024-10-23) and github.com/ROCm/rocm_smi_lib include/rocm_smi/rocm_smi.h (tags
 * rocm-5.7.0, rocm-6.0.0 and commit a129571, 2024-10-21).  Only what is stable across them
 * is read: the first field of amdsmi_clk_info_t (the current GFX clock, MHz, averaged over
 * 1 s), the temperature metrics (millidegrees), the energy accumulator (counter x
 * resolution in microjoules, timestamp in ns), and rsmi_frequencies_t, whose layout
 * ROCm 6 changed (the .so.7 soname says which).
 */
#ifndef TPP_HIP_SMI_H
#define TPP_HIP_SMI_H

#include <stddef.h>
#include <stdint.h>

/* Throttle events (amd-smi's violation status, ROCm 6.3 and later): bits of
 * tpp_hip_smi_reading.events, named by tpp_hip_smi_event_names[bit]. */
enum {
  TPP_HIP_SMI_EVENT_POWER = 1u << 0,   /* package power tracking (PPT) limit */
  TPP_HIP_SMI_EVENT_THERMAL = 1u << 1, /* socket thermal limit */
  TPP_HIP_SMI_EVENT_PROCHOT = 1u << 2, /* processor hot */
  TPP_HIP_SMI_EVENT_VR = 1u << 3,      /* voltage regulator thermal limit */
  TPP_HIP_SMI_EVENT_HBM = 1u << 4,     /* HBM thermal limit */
  TPP_HIP_SMI_EVENT_COUNT = 5
};
extern const char *const tpp_hip_smi_event_names[TPP_HIP_SMI_EVENT_COUNT];

struct tpp_hip_smi; /* the loaded library */

struct tpp_hip_smi_device {
  const struct tpp_hip_smi *smi;
  void *handle;   /* amd-smi processor handle */
  uint32_t index; /* rocm-smi device index */
};

/* One reading; NAN (events_known 0) for what the library cannot say. */
struct tpp_hip_smi_reading {
  double clock_mhz;     /* current GFX (shader) clock */
  double temperature_c; /* hotspot (junction), else edge */
  double energy_j;      /* energy accumulator: mean power = difference / time */
  double energy_time_s; /* the accumulator's timestamp */
  unsigned events;      /* TPP_HIP_SMI_EVENT_* active at the reading */
  int events_known;
};

/* amd-smi, else rocm-smi, loaded and initialised once per process; NULL with `why` when
 * neither is usable. */
const struct tpp_hip_smi *tpp_hip_smi_load(char *why, size_t whylen);

/* "amd-smi (libamd_smi.so.24)" */
const char *tpp_hip_smi_name(const struct tpp_hip_smi *smi);

/* The device at PCI address "dddd:bb:dd.f" (hipDeviceGetPCIBusId's form).  0, or -1 with
 * `why`. */
int tpp_hip_smi_open(const struct tpp_hip_smi *smi, const char *pci_bus_id,
                     struct tpp_hip_smi_device *dev, char *why, size_t whylen);

void tpp_hip_smi_read(const struct tpp_hip_smi_device *dev, struct tpp_hip_smi_reading *r);

/* "0000:c1:00.0" -> its four parts.  0, or -1 when it is not such an address. */
int tpp_hip_pci_parse(const char *s, unsigned *domain, unsigned *bus, unsigned *device,
                      unsigned *function);

#endif
