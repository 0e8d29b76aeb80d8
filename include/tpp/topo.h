/* topo.h - the host, as hwloc sees it, and placing the measuring thread near the device.
 *
 * The result records the machine a figure was measured on (packages, cores, NUMA nodes,
 * the device's PCI locality).  Before measuring a PCI device the calling thread is bound
 * to the cores of the NUMA node the device hangs off, so the host side of every launch
 * runs where a well-configured application would.  A CPU device computes on the host's
 * cores itself, so nothing is bound for it.
 */
#ifndef TPP_TOPO_H
#define TPP_TOPO_H

#include <jansson.h>

#include "tpp/error.h"

struct tpp_topo;

/* Load the topology (with PCI devices).  TPP_EBACKEND when hwloc cannot. */
int tpp_topo_open(struct tpp_topo **topo);
void tpp_topo_close(struct tpp_topo *topo);

/* {"hwloc_version", "hostname", "os", "cpu_model", "packages", "cores", "pus",
 *  "numa_nodes": [{"index", "memory_bytes"}], "memory_bytes"}  (new reference) */
json_t *tpp_topo_host_json(struct tpp_topo *topo);

/* Locate the PCI device (bus id "dddd:bb:dd.f", may be "") and, unless is_cpu_device, bind
 * the calling thread to its NUMA node's cores.  Returns a new JSON object:
 * {"pci_bus_id", "found", "numa_nodes": [..], "cpuset": "0-15", "bound", "note"}. */
json_t *tpp_topo_place_device(struct tpp_topo *topo, const char *pci_bus_id, int is_cpu_device);

/* The PCI vendor and device ids of the device at bus id "dddd:bb:dd.f" (0, 0 when hwloc
 * does not know it). */
void tpp_topo_pci_ids(struct tpp_topo *topo, const char *pci_bus_id, unsigned *vendor,
                      unsigned *device);

#endif
