/* test_report_render.c - the report looked at as a person would: the HTML rendered by headless
 * Chromium and the PDF by pdftoppm must give images that are not blank and show the chart (the
 * zones' and the device's colours), and the PDF's text layer (pdftotext) must hold the zone,
 * the clause and the TPP.  Skipped (77) when chromium or poppler-utils is not installed. */
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/report.h"

#define EXAMPLE TPP_TEST_DATA "/../../docs/examples/synthetic-h100-sxm.json"

static char dir[512];
static char out[1 << 16];

/* What an image shows: its size, how much its pixels vary, and how many are near each of the
 * colours asked about. */
struct look {
  int width, height;
  double stddev;    /* of the luminance, 0..255 */
  double non_white; /* fraction of pixels that are not white */
  size_t near[2];   /* pixels within 6 of each colour */
};

static void
look_at(const char *png, unsigned c0, unsigned c1, struct look *l)
{
  cairo_surface_t *img = cairo_image_surface_create_from_png(png);
  const unsigned colour[2] = {c0, c1};
  double sum = 0, sum2 = 0;
  size_t n, non_white = 0;
  unsigned char *data;
  int stride;

  ck_assert_msg(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS, "%s: not a PNG", png);
  memset(l, 0, sizeof(*l));
  l->width = cairo_image_surface_get_width(img);
  l->height = cairo_image_surface_get_height(img);
  data = cairo_image_surface_get_data(img);
  stride = cairo_image_surface_get_stride(img);
  n = (size_t)l->width * (size_t)l->height;
  for (int y = 0; y < l->height; y++)
    for (int x = 0; x < l->width; x++) {
      unsigned v = *(const unsigned *)(data + (size_t)y * (size_t)stride + (size_t)x * 4);
      int r = v >> 16 & 255, g = v >> 8 & 255, b = v & 255;
      double lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      sum += lum;
      sum2 += lum * lum;
      non_white += r < 250 || g < 250 || b < 250;
      for (int k = 0; k < 2; k++)
        if (abs(r - (int)(colour[k] >> 16 & 255)) <= 6 &&
            abs(g - (int)(colour[k] >> 8 & 255)) <= 6 && abs(b - (int)(colour[k] & 255)) <= 6)
          l->near[k]++;
    }
  if (n) {
    l->stddev = sqrt(sum2 / n - (sum / n) * (sum / n));
    l->non_white = (double)non_white / n;
  }
  cairo_surface_destroy(img);
}

static void
check_picture(const char *what, const struct look *l)
{
  ck_assert_msg(l->width > 500 && l->height > 500, "%s: %dx%d", what, l->width, l->height);
  ck_assert_msg(l->stddev > 20, "%s looks blank: luminance stddev %.1f", what, l->stddev);
  ck_assert_msg(l->non_white > 0.05, "%s looks blank: %.3f not white", what, l->non_white);
  ck_assert_msg(l->near[0] > 5000, "%s: the black zone is not drawn (%zu pixels)", what,
                l->near[0]);
  ck_assert_msg(l->near[1] > 20, "%s: the device is not drawn (%zu pixels)", what, l->near[1]);
}

START_TEST(html_in_chromium)
{
  char cmd[4096];
  struct look l;
  int rc;
  snprintf(cmd, sizeof(cmd), "%s report %s --out %s/r.html", TPP_BINARY, EXAMPLE, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  /* Headless, as root in CI (no sandbox there; /tmp rather than a container's small
   * /dev/shm), with a profile of its own in the temporary folder; the page is a local file
   * and fetches nothing. */
  snprintf(cmd, sizeof(cmd),
           "cd %s && HOME=%s timeout 120 chromium --headless --no-sandbox --disable-gpu "
           "--disable-dev-shm-usage --hide-scrollbars --no-first-run --user-data-dir=%s/chromium "
           "--window-size=1100,2000 "
           "--screenshot=%s/html.png file://%s/r.html",
           dir, dir, dir, dir, dir);
  rc = tpp_test_sh(cmd, out, sizeof(out));
  ck_assert_msg(rc == 0, "chromium exited %d: %s", rc, out);
  look_at(strcat(strcpy(cmd, dir), "/html.png"), tpp_report_zone_rgb(TPP_ZONE_BLACK),
          TPP_REPORT_DEVICE_RGB, &l);
  check_picture("the HTML in Chromium", &l);
}
END_TEST

START_TEST(pdf_in_poppler)
{
  char cmd[4096], *text;
  struct look l;
  snprintf(cmd, sizeof(cmd), "%s report %s --out %s/r.pdf", TPP_BINARY, EXAMPLE, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  snprintf(cmd, sizeof(cmd), "pdftoppm -r 100 -png -singlefile %s/r.pdf %s/pdf", dir, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  look_at(strcat(strcpy(cmd, dir), "/pdf.png"), tpp_report_zone_rgb(TPP_ZONE_BLACK),
          TPP_REPORT_DEVICE_RGB, &l);
  check_picture("the PDF in pdftoppm", &l);
  ck_assert_int_eq(l.width, 827); /* A4 at 100 dpi: one page, not cut */
  ck_assert_int_eq(l.height, 1170);

  snprintf(cmd, sizeof(cmd), "pdftotext -layout %s/r.pdf %s/r.txt && pdfinfo %s/r.pdf", dir, dir,
           dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  {
    const char *p = strstr(out, "Pages:");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(strtol(p + 6, NULL, 10), 1);
  }
  text = tpp_test_slurp(strcat(strcpy(cmd, dir), "/r.txt"));
  ck_assert_ptr_nonnull(text);
  ck_assert_ptr_nonnull(strstr(text, "BLACK"));
  ck_assert_ptr_nonnull(strstr(text, "3A090.a.1"));
  ck_assert_ptr_nonnull(strstr(text, "TPP 13456.8"));
  ck_assert_ptr_nonnull(strstr(text, "eccn-3a090-2023"));
  ck_assert_ptr_nonnull(strstr(text, "SYNTHETIC EXAMPLE"));
  /* the provenance block (its text in the SVG and PNG is the same page's glyphs) */
  ck_assert_ptr_nonnull(strstr(text, "Provenance"));
  ck_assert_ptr_nonnull(strstr(text, "not recorded: a result of"));
  ck_assert_ptr_nonnull(strstr(text, "SHA-256 d120983449d7"));
  free(text);
}
END_TEST

int
main(void)
{
  Suite *s;
  TCase *tc;
  if (tpp_test_sh("command -v chromium && command -v pdftoppm && command -v pdftotext && "
                  "command -v pdfinfo",
                  NULL, 0) != 0) {
    puts("chromium or poppler-utils (pdftoppm, pdftotext) not installed: skipped "
         "(scripts/install-deps.sh installs them)");
    return 77;
  }
  tpp_test_tmpdir(dir, sizeof(dir));
  s = suite_create("report_render");
  tc = tcase_create("render");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, html_in_chromium);
  tcase_add_test(tc, pdf_in_poppler);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
