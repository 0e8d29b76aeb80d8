// cublas_ref.cu - the library reference for bench/hopper.sh: dense GEMM throughput of
// cuBLAS / cuBLASLt per precision on GPU 0, as JSON lines {"precision", "tflops", "ms", "n"}.
// Not part of tppbench; built only by the benchmark script.
//
//   nvcc -O2 -o cublas_ref bench/cublas_ref.cu -lcublasLt -lcublas
//   ./cublas_ref [N] [REPEATS]      (default 8192, 20)
//
// TN layout (A transposed, B not), which cuBLAS needs for INT8 and FP8.  Warm-up, then
// REPEATS timed GEMMs with events; the median is reported.  Operands are small random values.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

#define CK(x)                                                                                 \
  do {                                                                                        \
    auto e_ = (x);                                                                            \
    if ((int)e_ != 0) {                                                                       \
      fprintf(stderr, "%s:%d: %s failed (%d)\n", __FILE__, __LINE__, #x, (int)e_);           \
      exit(1);                                                                                \
    }                                                                                         \
  } while (0)

__global__ void
fill(unsigned char *p, size_t bytes, unsigned seed, int elem)
{
  // Small values in every format: bytes that decode to modest numbers, never NaN/Inf.
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < bytes; i += (size_t)gridDim.x * blockDim.x) {
    unsigned h = (unsigned)(i / elem) * 2654435761u + seed;
    unsigned char b = (unsigned char)(h >> 24);
    p[i] = (i % elem == elem - 1) ? (unsigned char)(0x38 + (b & 3)) /* top byte: exponent near 1 */
                                  : b;
  }
}

static double
median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
static double
time_ms(F gemm, int repeats)
{
  cudaEvent_t a, b;
  CK(cudaEventCreate(&a));
  CK(cudaEventCreate(&b));
  for (int i = 0; i < 3; i++)
    gemm();
  std::vector<double> t;
  for (int i = 0; i < repeats; i++) {
    float ms;
    CK(cudaEventRecord(a));
    gemm();
    CK(cudaEventRecord(b));
    CK(cudaEventSynchronize(b));
    CK(cudaEventElapsedTime(&ms, a, b));
    t.push_back(ms);
  }
  return median(t);
}

int
main(int argc, char **argv)
{
  const int n = argc > 1 ? atoi(argv[1]) : 8192, repeats = argc > 2 ? atoi(argv[2]) : 20;
  const double flop = 2.0 * n * n * (double)n;
  size_t elems = (size_t)n * n;
  unsigned char *A, *B, *C;
  CK(cudaMalloc(&A, elems * 4));
  CK(cudaMalloc(&B, elems * 4));
  CK(cudaMalloc(&C, elems * 4));
  cublasHandle_t h;
  CK(cublasCreate(&h));
  float one = 1, zero = 0;
  int ione = 1, izero = 0;

  struct Ex {
    const char *name;
    cudaDataType_t ab, c;
    cublasComputeType_t compute;
    int elem;
  } exs[] = {
      {"tf32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4},
      {"fp16", CUDA_R_16F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 2},
      {"bf16", CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F, 2},
      {"int8", CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, 1},
  };
  for (auto &x : exs) {
    fill<<<1024, 256>>>(A, elems * x.elem, 1, x.elem);
    fill<<<1024, 256>>>(B, elems * x.elem, 2, x.elem);
    const void *alpha = x.c == CUDA_R_32I ? (const void *)&ione : (const void *)&one;
    const void *beta = x.c == CUDA_R_32I ? (const void *)&izero : (const void *)&zero;
    double ms = time_ms([&] {
      CK(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, n, n, n, alpha, A, x.ab, n, B, x.ab, n, beta, C,
                      x.c, n, x.compute, CUBLAS_GEMM_DEFAULT));
    }, repeats);
    printf("{\"precision\": \"%s\", \"tflops\": %.2f, \"ms\": %.4f, \"n\": %d}\n", x.name,
           flop / ms / 1e9, ms, n);
  }

  // FP8 E4M3 x E4M3 -> BF16 through cuBLASLt (cublasGemmEx has no FP8).
  {
    cublasLtHandle_t lt;
    CK(cublasLtCreate(&lt));
    cublasLtMatmulDesc_t op;
    CK(cublasLtMatmulDescCreate(&op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    CK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)));
    CK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)));
    cublasLtMatrixLayout_t la, lb, lc;
    CK(cublasLtMatrixLayoutCreate(&la, CUDA_R_8F_E4M3, n, n, n));
    CK(cublasLtMatrixLayoutCreate(&lb, CUDA_R_8F_E4M3, n, n, n));
    CK(cublasLtMatrixLayoutCreate(&lc, CUDA_R_16BF, n, n, n));
    size_t ws_size = 64u << 20;
    void *ws;
    CK(cudaMalloc(&ws, ws_size));
    cublasLtMatmulPreference_t pref;
    CK(cublasLtMatmulPreferenceCreate(&pref));
    CK(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws_size, sizeof(ws_size)));
    cublasLtMatmulHeuristicResult_t heur;
    int found = 0;
    CK(cublasLtMatmulAlgoGetHeuristic(lt, op, la, lb, lc, lc, pref, 1, &heur, &found));
    if (!found) {
      printf("{\"precision\": \"fp8\", \"tflops\": null, \"error\": \"no cuBLASLt algorithm\"}\n");
    } else {
      fill<<<1024, 256>>>(A, elems, 3, 1);
      fill<<<1024, 256>>>(B, elems, 4, 1);
      double ms = time_ms([&] {
        CK(cublasLtMatmul(lt, op, &one, A, la, B, lb, &zero, C, lc, C, lc, &heur.algo, ws, ws_size, 0));
      }, repeats);
      printf("{\"precision\": \"fp8\", \"tflops\": %.2f, \"ms\": %.4f, \"n\": %d}\n", flop / ms / 1e9, ms, n);
    }
  }
  CK(cudaDeviceSynchronize());
  return 0;
}
