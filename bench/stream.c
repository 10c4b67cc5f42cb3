/*
 * The machine's memory limit for the bench: a STREAM-style triad (McCalpin), a[i] = b[i] +
 * s * c[i] over arrays far larger than the caches, on 1 thread and on every core, and the
 * 3-band float32 change vector written the way a vectorising C compiler likes it, as the
 * roofline a JavaScript kernel is compared with. Compiled at bench time with the
 * machine's gcc (-O3 -march=native -fopenmp); prints one JSON object.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define TRIAD_N (1L << 25)
#define CV_PX (4096L * 4096L)
#define REPEATS 7

static double best_triad(double *a, const double *b, const double *c, int threads) {
  double best = 1e30;
  for (int r = 0; r < REPEATS; r++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < TRIAD_N; i++) a[i] = b[i] + 3.0 * c[i];
    double t = omp_get_wtime() - t0;
    if (t < best) best = t;
  }
  /* STREAM counts the bytes the loop names: two reads and one write per element. */
  return 3.0 * sizeof(double) * TRIAD_N / best / 1e9;
}

static double best_change_vector(const float *before, const float *after, float *out, int threads) {
  double best = 1e30;
  for (int r = 0; r < REPEATS; r++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < CV_PX; i++) {
      float d0 = after[3 * i] - before[3 * i];
      float d1 = after[3 * i + 1] - before[3 * i + 1];
      float d2 = after[3 * i + 2] - before[3 * i + 2];
      out[i] = sqrtf(d0 * d0 + d1 * d1 + d2 * d2);
    }
    double t = omp_get_wtime() - t0;
    if (t < best) best = t;
  }
  return CV_PX / best / 1e6;
}

int main(void) {
  int cores = omp_get_num_procs();
  double *a = malloc(TRIAD_N * sizeof(double));
  double *b = malloc(TRIAD_N * sizeof(double));
  double *c = malloc(TRIAD_N * sizeof(double));
  float *before = malloc(CV_PX * 3 * sizeof(float));
  float *after = malloc(CV_PX * 3 * sizeof(float));
  float *out = malloc(CV_PX * sizeof(float));
  if (!a || !b || !c || !before || !after || !out) return 1;
  /* First touch by the threads that will use the pages. */
#pragma omp parallel for schedule(static)
  for (long i = 0; i < TRIAD_N; i++) {
    a[i] = 0;
    b[i] = 1;
    c[i] = 2;
  }
#pragma omp parallel for schedule(static)
  for (long i = 0; i < CV_PX * 3; i++) {
    before[i] = (float)(i % 251);
    after[i] = (float)(i % 241);
  }
  double triad1 = best_triad(a, b, c, 1);
  double triadAll = best_triad(a, b, c, cores);
  double cv1 = best_change_vector(before, after, out, 1);
  double cvAll = best_change_vector(before, after, out, cores);
  printf("{\"cores\":%d,\"triadGBs1\":%.2f,\"triadGBsAll\":%.2f,\"changeVectorMpxs1\":%.1f,"
         "\"changeVectorMpxsAll\":%.1f,\"check\":%.1f}\n",
         cores, triad1, triadAll, cv1, cvAll, a[12345] + out[777]);
  return 0;
}
