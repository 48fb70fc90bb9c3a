/*===- standalone_main.c - main() of executables kilnc links ---------------===*
 *
 *   MODEL [-i INPUT.npy ...] [-o DIR] [--iterations N]
 *
 * Runs the model linked into the executable on NumPy inputs (zeros for any
 * input not given), writes DIR/output_K.npy for each output and prints each
 * output's first values; --iterations N also prints the median latency.
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L
#include "kiln/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *npy_descr(int32_t t) {
  switch (t) {
  case KILN_FLOAT: return "<f4";
  case KILN_DOUBLE: return "<f8";
  case KILN_FLOAT16: return "<f2";
  case KILN_INT8: return "|i1";
  case KILN_UINT8: return "|u1";
  case KILN_INT16: return "<i2";
  case KILN_UINT16: return "<u2";
  case KILN_INT32: return "<i4";
  case KILN_UINT32: return "<u4";
  case KILN_INT64: return "<i8";
  case KILN_UINT64: return "<u8";
  case KILN_BOOL: return "|b1";
  default: return NULL;
  }
}

/* Reads a C-order little-endian .npy of the input's type and size. */
static int read_npy(const char *path, const kiln_tensor_info *info, void *dst) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "error: cannot open '%s'\n", path);
    return 1;
  }
  unsigned char magic[10];
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "error: '%s' is not a .npy file\n", path);
    fclose(f);
    return 1;
  }
  size_t header_len = magic[8] | (magic[9] << 8);
  if (magic[6] >= 2) {
    unsigned char more[2];
    if (fread(more, 1, 2, f) != 2) {
      fclose(f);
      return 1;
    }
    header_len |= ((size_t)more[0] << 16) | ((size_t)more[1] << 24);
  }
  char *header = malloc(header_len + 1);
  if (!header || fread(header, 1, header_len, f) != header_len) {
    fprintf(stderr, "error: '%s': truncated header\n", path);
    free(header);
    fclose(f);
    return 1;
  }
  header[header_len] = 0;
  const char *descr = npy_descr(info->elem_type);
  int ok = descr && strstr(header, descr + 1) &&
           !strstr(header, "'fortran_order': True");
  free(header);
  if (!ok) {
    fprintf(stderr, "error: '%s': expected a C-order %s array for input '%s'\n",
            path, kiln_elem_type_name(info->elem_type), info->name);
    fclose(f);
    return 1;
  }
  size_t bytes = kiln_tensor_bytes(info);
  if (fread(dst, 1, bytes, f) != bytes) {
    fprintf(stderr, "error: '%s': expected %zu bytes of data for input '%s'\n",
            path, bytes, info->name);
    fclose(f);
    return 1;
  }
  fclose(f);
  return 0;
}

static int write_npy(const char *path, const kiln_tensor_info *info,
                     const void *src) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "error: cannot write '%s'\n", path);
    return 1;
  }
  char shape[512] = "";
  for (int32_t d = 0; d < info->rank; ++d) {
    char dim[32];
    snprintf(dim, sizeof dim, "%lld,%s", (long long)info->shape[d],
             info->rank == 1 || d + 1 < info->rank ? " " : "");
    strncat(shape, dim, sizeof shape - strlen(shape) - 1);
  }
  char dict[700];
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                   npy_descr(info->elem_type), shape);
  int total = 10 + n + 1;
  int pad = (64 - total % 64) % 64;
  unsigned short header_len = (unsigned short)(n + pad + 1);
  fwrite("\x93NUMPY\x01\x00", 1, 8, f);
  fputc(header_len & 0xff, f);
  fputc(header_len >> 8, f);
  fwrite(dict, 1, n, f);
  for (int i = 0; i < pad; ++i)
    fputc(' ', f);
  fputc('\n', f);
  fwrite(src, 1, kiln_tensor_bytes(info), f);
  fclose(f);
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  const kiln_model_info *model = kiln_library_model();
  const char *inputs[64] = {0};
  int num_given = 0, iterations = 0;
  const char *out_dir = NULL;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "-i") && i + 1 < argc && num_given < 64)
      inputs[num_given++] = argv[++i];
    else if (!strcmp(argv[i], "-o") && i + 1 < argc)
      out_dir = argv[++i];
    else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
      iterations = atoi(argv[++i]);
    else {
      fprintf(stderr,
              "usage: %s [-i INPUT.npy ...] [-o DIR] [--iterations N]\n"
              "model '%s': %d inputs, %d outputs\n",
              argv[0], model->name, model->num_inputs, model->num_outputs);
      return 2;
    }
  }
  if (num_given > model->num_inputs) {
    fprintf(stderr, "error: model '%s' has %d inputs, %d given\n", model->name,
            model->num_inputs, num_given);
    return 2;
  }
  kiln_context *ctx = kiln_context_create(model);
  const void **in = calloc(model->num_inputs + 1, sizeof(void *));
  void **out = calloc(model->num_outputs + 1, sizeof(void *));
  if (!ctx || !in || !out) {
    fprintf(stderr, "error: out of memory\n");
    return 1;
  }
  for (int i = 0; i < model->num_inputs; ++i) {
    void *buffer = calloc(1, kiln_tensor_bytes(&model->inputs[i]) + 1);
    if (!buffer)
      return 1;
    if (i < num_given && read_npy(inputs[i], &model->inputs[i], buffer))
      return 2;
    in[i] = buffer;
  }
  for (int i = 0; i < model->num_outputs; ++i)
    out[i] = calloc(1, kiln_tensor_bytes(&model->outputs[i]) + 1);
  if (kiln_run(ctx, in, out) != KILN_OK) {
    fprintf(stderr, "error: %s\n", kiln_context_error(ctx));
    return 1;
  }
  if (out_dir)
    mkdir(out_dir, 0777); /* an existing folder is fine */
  for (int i = 0; i < model->num_outputs; ++i) {
    const kiln_tensor_info *info = &model->outputs[i];
    printf("output %d '%s' (%s):", i, info->name,
           kiln_elem_type_name(info->elem_type));
    int64_t count = kiln_tensor_elements(info);
    for (int64_t k = 0; k < count && k < 8; ++k) {
      if (info->elem_type == KILN_FLOAT)
        printf(" %g", ((const float *)out[i])[k]);
      else if (info->elem_type == KILN_INT64)
        printf(" %lld", (long long)((const int64_t *)out[i])[k]);
    }
    printf("%s\n", count > 8 ? " ..." : "");
    if (out_dir) {
      char path[4096];
      snprintf(path, sizeof path, "%s/output_%d.npy", out_dir, i);
      if (write_npy(path, info, out[i]))
        return 2;
    }
  }
  if (iterations > 0) {
    double *times = malloc(sizeof(double) * iterations);
    for (int k = 0; k < iterations; ++k) {
      double start = now_ms();
      kiln_run(ctx, in, out);
      times[k] = now_ms() - start;
    }
    qsort(times, iterations, sizeof(double), compare_double);
    printf("median latency: %.3f ms (%d iterations)\n", times[iterations / 2],
           iterations);
    free(times);
  }
  kiln_context_destroy(ctx);
  return 0;
}
