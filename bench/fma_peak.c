/* kiln-fma-peak: the FP32 fused multiply-add peak of this machine, measured.
 *
 *   kiln-fma-peak [THREADS...]      (default: 1 and the number of cores)
 *
 * Each thread runs 12 independent chains of vector FMAs (enough to cover
 * the FMA latency on current x86 cores) over registers only, with the widest
 * vectors the CPU has (AVX-512, else AVX2 + FMA). Prints one line per thread
 * count: "threads T isa ISA gflops G", the best of 5 runs. bench/bench.py
 * quotes kiln's speed as a percentage of these figures, so that machines of
 * different kinds compare.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { Chains = 12 };
static const long Iterations = 20L * 1000 * 1000;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Returns a value that depends on every chain, so none is optimized away. */
__attribute__((target("avx512f"))) static float chains512(long n) {
  __m512 acc[Chains];
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < Chains; ++i)
    acc[i] = _mm512_set1_ps((float)i);
  for (long k = 0; k < n; ++k)
    for (int i = 0; i < Chains; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < Chains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) static float chains256(long n) {
  __m256 acc[Chains];
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < Chains; ++i)
    acc[i] = _mm256_set1_ps((float)i);
  for (long k = 0; k < n; ++k)
    for (int i = 0; i < Chains; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  __m256 sum = acc[0];
  for (int i = 1; i < Chains; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] +
         lanes[6] + lanes[7];
}

static int useAvx512;
static volatile float sink;

static void *worker(void *arg) {
  (void)arg;
  sink = useAvx512 ? chains512(Iterations) : chains256(Iterations);
  return NULL;
}

/* GFLOP/s of `threads` threads running the chains at once. */
static double measure(int threads) {
  pthread_t ids[256];
  double start = now();
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, worker, NULL);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  double seconds = now() - start;
  double lanes = useAvx512 ? 16 : 8;
  return threads * 2.0 * lanes * Chains * Iterations / seconds * 1e-9;
}

int main(int argc, char **argv) {
  __builtin_cpu_init();
  useAvx512 = __builtin_cpu_supports("avx512f");
  if (!useAvx512 && !(__builtin_cpu_supports("avx2") &&
                      __builtin_cpu_supports("fma"))) {
    fprintf(stderr, "kiln-fma-peak: this CPU has neither AVX-512 nor "
                    "AVX2 + FMA\n");
    return 2;
  }
  int counts[64], n = 0;
  for (int i = 1; i < argc && n < 64; ++i) {
    counts[n] = atoi(argv[i]);
    if (counts[n] < 1 || counts[n] > 256) {
      fprintf(stderr, "kiln-fma-peak: bad thread count '%s'\n", argv[i]);
      return 2;
    }
    ++n;
  }
  if (n == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    counts[n++] = 1;
    if (cores > 1)
      counts[n++] = (int)cores;
  }
  for (int i = 0; i < n; ++i) {
    double best = 0;
    for (int run = 0; run < 5; ++run) {
      double g = measure(counts[i]);
      best = g > best ? g : best;
    }
    printf("threads %d isa %s gflops %.1f\n", counts[i],
           useAvx512 ? "avx512" : "avx2", best);
  }
  return 0;
}
