/* topo.c - hwloc: host description and thread placement.  See topo.h. */
#include "tpp/topo.h"

#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

struct tpp_topo {
  hwloc_topology_t t;
};

int
tpp_topo_open(struct tpp_topo **out)
{
  struct tpp_topo *topo = calloc(1, sizeof(*topo));
  if (!topo)
    return TPP_ENOMEM;
  if (hwloc_topology_init(&topo->t) != 0)
    goto fail_init;
  hwloc_topology_set_io_types_filter(topo->t, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  if (hwloc_topology_load(topo->t) != 0)
    goto fail_load;
  *out = topo;
  return 0;

fail_load:
  hwloc_topology_destroy(topo->t);
fail_init:
  free(topo);
  return TPP_EBACKEND;
}

void
tpp_topo_close(struct tpp_topo *topo)
{
  if (!topo)
    return;
  hwloc_topology_destroy(topo->t);
  free(topo);
}

static json_t *
count_of(struct tpp_topo *topo, hwloc_obj_type_t type)
{
  int n = hwloc_get_nbobjs_by_type(topo->t, type);
  return n >= 0 ? json_integer(n) : json_null();
}

json_t *
tpp_topo_host_json(struct tpp_topo *topo)
{
  json_t *h = json_object(), *nodes = json_array();
  hwloc_obj_t root = hwloc_get_root_obj(topo->t), pkg;
  char host[256] = "";
  struct utsname u;
  const char *model = NULL;
  unsigned api = hwloc_get_api_version();
  char ver[32];

  snprintf(ver, sizeof(ver), "%u.%u.%u", api >> 16, (api >> 8) & 0xff, api & 0xff);
  json_object_set_new(h, "hwloc_version", json_string(ver));
  gethostname(host, sizeof(host) - 1);
  json_object_set_new(h, "hostname", json_string(host));
  if (uname(&u) == 0) {
    char os[600];
    snprintf(os, sizeof(os), "%s %s %s", u.sysname, u.release, u.machine);
    json_object_set_new(h, "os", json_string(os));
  }
  pkg = hwloc_get_obj_by_type(topo->t, HWLOC_OBJ_PACKAGE, 0);
  if (pkg)
    model = hwloc_obj_get_info_by_name(pkg, "CPUModel");
  json_object_set_new(h, "cpu_model", model ? json_string(model) : json_null());
  json_object_set_new(h, "packages", count_of(topo, HWLOC_OBJ_PACKAGE));
  json_object_set_new(h, "cores", count_of(topo, HWLOC_OBJ_CORE));
  json_object_set_new(h, "pus", count_of(topo, HWLOC_OBJ_PU));
  for (int i = 0;; i++) {
    hwloc_obj_t node = hwloc_get_obj_by_type(topo->t, HWLOC_OBJ_NUMANODE, (unsigned)i);
    if (!node)
      break;
    json_array_append_new(nodes,
                          json_pack("{s:I, s:I}", "index", (json_int_t)node->os_index,
                                    "memory_bytes", (json_int_t)node->attr->numanode.local_memory));
  }
  json_object_set_new(h, "numa_nodes", nodes);
  json_object_set_new(h, "memory_bytes", json_integer((json_int_t)root->total_memory));
  return h;
}

void
tpp_topo_pci_ids(struct tpp_topo *topo, const char *bus_id, unsigned *vendor, unsigned *device)
{
  unsigned dom, bus, dev, fn;
  hwloc_obj_t pci = NULL;
  *vendor = *device = 0;
  if (topo && bus_id && sscanf(bus_id, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) == 4)
    pci = hwloc_get_pcidev_by_busid(topo->t, dom, bus, dev, fn);
  if (pci && pci->attr) {
    *vendor = pci->attr->pcidev.vendor_id;
    *device = pci->attr->pcidev.device_id;
  }
}

json_t *
tpp_topo_place_device(struct tpp_topo *topo, const char *bus_id, int is_cpu_device)
{
  json_t *p = json_object(), *nodes = json_array();
  unsigned dom, bus, dev, fn;
  hwloc_obj_t pci = NULL, anc;
  char *cpus = NULL;
  const char *note;
  int bound = 0;

  json_object_set_new(p, "pci_bus_id", bus_id && *bus_id ? json_string(bus_id) : json_null());
  if (bus_id && sscanf(bus_id, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) == 4)
    pci = hwloc_get_pcidev_by_busid(topo->t, dom, bus, dev, fn);
  json_object_set_new(p, "found", json_boolean(pci != NULL));
  if (!pci) {
    note = is_cpu_device       ? "CPU device: computes on the host's cores; thread left unbound"
           : bus_id && *bus_id ? "PCI device not in the hwloc topology; thread left unbound"
                               : "device reports no PCI address; thread left unbound";
    goto out;
  }
  anc = hwloc_get_non_io_ancestor_obj(topo->t, pci);
  if (anc && anc->nodeset) {
    hwloc_obj_t node = NULL;
    while ((node = hwloc_get_next_obj_by_type(topo->t, HWLOC_OBJ_NUMANODE, node)) != NULL)
      if (hwloc_bitmap_isincluded(node->nodeset, anc->nodeset))
        json_array_append_new(nodes, json_integer((json_int_t)node->os_index));
  }
  if (anc && anc->cpuset)
    hwloc_bitmap_list_asprintf(&cpus, anc->cpuset);
  if (is_cpu_device)
    note = "CPU device: thread left unbound";
  else if (anc && anc->cpuset &&
           hwloc_set_cpubind(topo->t, anc->cpuset, HWLOC_CPUBIND_THREAD) == 0) {
    bound = 1;
    note = "measuring thread bound to the device's local cores";
  } else
    note = "binding the measuring thread failed; left unbound";
out:
  json_object_set_new(p, "numa_nodes", nodes);
  json_object_set_new(p, "cpuset", cpus ? json_string(cpus) : json_null());
  json_object_set_new(p, "bound", json_boolean(bound));
  json_object_set_new(p, "note", json_string(note));
  free(cpus);
  return p;
}
