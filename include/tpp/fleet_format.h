/* fleet_format.h - `tppbench fleet --format csv|md|html`: the device list and the quantities
 * as a table for a spreadsheet, a Markdown document or a self-contained web page.
 *
 * Everything comes from the fleet's JSON document (tpp_fleet_to_json, the interface `fleet
 * --json` already keeps), whose device list carries each device's host, PCI bus id and UUID.
 */
#ifndef TPP_FLEET_FORMAT_H
#define TPP_FLEET_FORMAT_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/fleet.h"

enum tpp_fleet_format_kind {
  TPP_FLEET_FORMAT_TEXT, /* the default: tpp_fleet_print */
  TPP_FLEET_FORMAT_CSV,
  TPP_FLEET_FORMAT_MD,
  TPP_FLEET_FORMAT_HTML
};

/* "text", "csv", "md", "html"; 0 or TPP_EINVAL. */
int tpp_fleet_format_parse(const char *name, enum tpp_fleet_format_kind *out);

/* Write the fleet in format k (not TEXT) to out.  0, TPP_ENOMEM, or TPP_EIO. */
int tpp_fleet_format_write(const struct tpp_fleet *f, enum tpp_fleet_format_kind k, FILE *out);

#endif
