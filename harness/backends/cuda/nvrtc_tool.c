/* nvrtc_tool.c - tppbench-nvrtc, a build-time tool (never installed): compiles one CUDA
 * kernel file to a cubin for one target with NVRTC 12, loaded with dlopen, so that the build
 * can embed kernels a CUDA 12 driver (R525-R575) loads beside the CUDA 13 fatbins, which
 * need R580+.  NVRTC 12 comes from NVIDIA's PyPI wheels (scripts/install-deps.sh).
 *
 *   tppbench-nvrtc LIBNVRTC SOURCE sm_XX[a] OUT.cubin MAJOR.MINOR [-I DIR]...
 *
 * MAJOR.MINOR is the NVRTC version the build expects (read from the wheel's file names at
 * configure time, for the messages of the binary): a library of another version is refused.
 * The cubin is written to OUT.cubin.tmp and renamed; NVRTC's log (its warnings and ptxas's
 * messages) goes to OUT.cubin.log and standard output.  Exit 0, or 1 with the reason.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct _nvrtcProgram *nvrtcProgram;
typedef int nvrtcResult; /* NVRTC_SUCCESS = 0 */

/* NVRTC has no stdint.h of its own; cuda_fp16.h and cuda_bf16.h come from the
 * nvidia-cuda-runtime-cu12 wheel.  The widths are those of the CUDA device ABI (LP64). */
static const char stdint_h[] = "#pragma once\n"
                               "typedef signed char int8_t;\n"
                               "typedef short int16_t;\n"
                               "typedef int int32_t;\n"
                               "typedef long long int64_t;\n"
                               "typedef unsigned char uint8_t;\n"
                               "typedef unsigned short uint16_t;\n"
                               "typedef unsigned int uint32_t;\n"
                               "typedef unsigned long long uint64_t;\n"
                               "typedef unsigned long uintptr_t;\n"
                               "typedef long intptr_t;\n";

struct nvrtc {
  void *lib;
  nvrtcResult (*Version)(int *, int *);
  nvrtcResult (*CreateProgram)(nvrtcProgram *, const char *, const char *, int, const char *const *,
                               const char *const *);
  nvrtcResult (*CompileProgram)(nvrtcProgram, int, const char *const *);
  nvrtcResult (*GetProgramLogSize)(nvrtcProgram, size_t *);
  nvrtcResult (*GetProgramLog)(nvrtcProgram, char *);
  nvrtcResult (*GetCUBINSize)(nvrtcProgram, size_t *);
  nvrtcResult (*GetCUBIN)(nvrtcProgram, char *);
  nvrtcResult (*DestroyProgram)(nvrtcProgram *);
  const char *(*GetErrorString)(nvrtcResult);
};

static int
bind(struct nvrtc *n, const char *path)
{
  struct {
    void **slot;
    const char *name;
  } syms[] = {
      {(void **)&n->Version,           "nvrtcVersion"          },
      {(void **)&n->CreateProgram,     "nvrtcCreateProgram"    },
      {(void **)&n->CompileProgram,    "nvrtcCompileProgram"   },
      {(void **)&n->GetProgramLogSize, "nvrtcGetProgramLogSize"},
      {(void **)&n->GetProgramLog,     "nvrtcGetProgramLog"    },
      {(void **)&n->GetCUBINSize,      "nvrtcGetCUBINSize"     },
      {(void **)&n->GetCUBIN,          "nvrtcGetCUBIN"         },
      {(void **)&n->DestroyProgram,    "nvrtcDestroyProgram"   },
      {(void **)&n->GetErrorString,    "nvrtcGetErrorString"   },
  };
  n->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!n->lib) {
    fprintf(stderr, "tppbench-nvrtc: cannot load %s: %s\n", path, dlerror());
    return -1;
  }
  for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
    *syms[i].slot = dlsym(n->lib, syms[i].name);
    if (!*syms[i].slot) {
      fprintf(stderr, "tppbench-nvrtc: %s has no %s (not NVRTC 12?)\n", path, syms[i].name);
      return -1;
    }
  }
  return 0;
}

/* The whole file, NUL-terminated, or NULL. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long len;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (buf = malloc((size_t)len + 1)) != NULL) {
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
      free(buf);
      buf = NULL;
    } else {
      buf[len] = '\0';
    }
  }
  fclose(f);
  return buf;
}

static int
write_file(const char *path, const char *data, size_t len)
{
  char tmp[4096];
  FILE *f;
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  if (!(f = fopen(tmp, "wb")))
    return -1;
  if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    remove(tmp);
    return -1;
  }
  return rename(tmp, path);
}

int
main(int argc, char **argv)
{
  struct nvrtc n = {0};
  nvrtcProgram prog = NULL;
  const char *opts[64], *hdr_src[] = {stdint_h}, *hdr_name[] = {"stdint.h"};
  char arch[32], want[16], have[16], logpath[4096], *src = NULL, *log = NULL, *cubin = NULL;
  size_t loglen = 0, len = 0;
  int nopt = 0, major = 0, minor = 0, rc = 1;
  nvrtcResult r;

  if (argc < 6 || (argc - 6) % 2 != 0 || argc > 6 + 2 * 60) {
    fprintf(stderr, "usage: tppbench-nvrtc LIBNVRTC SOURCE sm_XX OUT.cubin MAJOR.MINOR "
                    "[-I DIR]...\n");
    return 1;
  }
  if (bind(&n, argv[1]) != 0)
    return 1;
  n.Version(&major, &minor);
  snprintf(have, sizeof(have), "%d.%d", major, minor);
  snprintf(want, sizeof(want), "%s", argv[5]);
  if (strcmp(have, want) != 0) {
    fprintf(stderr, "tppbench-nvrtc: %s is NVRTC %s, the build was configured for %s\n", argv[1],
            have, want);
    goto out;
  }
  if (!(src = slurp(argv[2]))) {
    fprintf(stderr, "tppbench-nvrtc: cannot read %s\n", argv[2]);
    goto out;
  }
  snprintf(arch, sizeof(arch), "-arch=%s", argv[3]);
  opts[nopt++] = arch;
  opts[nopt++] = "-lineinfo";
  for (int i = 6; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "-I") != 0) {
      fprintf(stderr, "tppbench-nvrtc: unknown option %s\n", argv[i]);
      goto out;
    }
    opts[nopt++] = "-I";
    opts[nopt++] = argv[i + 1];
  }
  if ((r = n.CreateProgram(&prog, src, argv[2], 1, hdr_src, hdr_name)) != 0) {
    fprintf(stderr, "tppbench-nvrtc: nvrtcCreateProgram: %s\n", n.GetErrorString(r));
    goto out;
  }
  r = n.CompileProgram(prog, nopt, opts);
  if (n.GetProgramLogSize(prog, &loglen) == 0 && loglen > 0 && (log = malloc(loglen)) != NULL &&
      n.GetProgramLog(prog, log) == 0) {
    log[loglen - 1] = '\0';
    loglen = strlen(log);
    fputs(log, stdout);
  } else {
    loglen = 0;
  }
  snprintf(logpath, sizeof(logpath), "%s.log", argv[4]);
  if (write_file(logpath, log ? log : "", loglen) != 0) {
    fprintf(stderr, "tppbench-nvrtc: cannot write %s\n", logpath);
    goto out;
  }
  if (r != 0) {
    fprintf(stderr, "tppbench-nvrtc: %s for %s: %s\n", argv[2], argv[3], n.GetErrorString(r));
    goto out;
  }
  if ((r = n.GetCUBINSize(prog, &len)) != 0 || len == 0 || !(cubin = malloc(len)) ||
      (r = n.GetCUBIN(prog, cubin)) != 0) {
    fprintf(stderr, "tppbench-nvrtc: no cubin for %s: %s\n", argv[3],
            r ? n.GetErrorString(r) : "empty or out of memory");
    goto out;
  }
  if (write_file(argv[4], cubin, len) != 0) {
    fprintf(stderr, "tppbench-nvrtc: cannot write %s\n", argv[4]);
    goto out;
  }
  rc = 0;
out:
  if (prog)
    n.DestroyProgram(&prog);
  free(cubin);
  free(log);
  free(src);
  return rc;
}
