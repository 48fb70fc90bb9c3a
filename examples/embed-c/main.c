/* examples/embed-c/main.c - run a kilnc-compiled image classifier from C.
 *
 *   classify [IMAGE] [--runs N] [--save-input FILE] [--save-scores FILE]
 *
 * IMAGE is either
 *   *.raw  the model's input tensor as raw float32 (1x3x224x224 = 602112
 *          bytes, NCHW, already normalized), or
 *   *.ppm  a binary PPM (P6) picture of any size: resized (nearest pixel)
 *          to the model's input and normalized with the ImageNet mean/std.
 * Without IMAGE a test picture is generated (a colour gradient with a disc).
 *
 * The program uses only what kilnc generates next to the library: the header
 * classifier.h (which also declares the kiln runtime API) and
 * classifier_model(), the model's description.
 */
#define _POSIX_C_SOURCE 199309L
#include "classifier.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const float kMean[3] = {0.485f, 0.456f, 0.406f};
static const float kStd[3] = {0.229f, 0.224f, 0.225f};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void shape_string(const kiln_tensor_info *t, char *buf, size_t size) {
  int n = snprintf(buf, size, "%s[", kiln_elem_type_name(t->elem_type));
  for (int i = 0; i < t->rank && n < (int)size; ++i)
    n += snprintf(buf + n, size - n, "%s%lld", i ? "x" : "",
                  (long long)t->shape[i]);
  if (n < (int)size)
    snprintf(buf + n, size - n, "]");
}

/* A test picture: a diagonal colour gradient with a bright disc. */
static void generate_image(float *x, int h, int w) {
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) {
        float u = (float)j / (w - 1), v = (float)i / (h - 1);
        float rgb[3] = {u, v, 1.0f - 0.5f * (u + v)};
        float dx = u - 0.6f, dy = v - 0.4f;
        if (dx * dx + dy * dy < 0.05f)
          rgb[0] = rgb[1] = rgb[2] = 0.95f;
        x[(c * h + i) * w + j] = (rgb[c] - kMean[c]) / kStd[c];
      }
}

static int read_raw(const char *path, float *x, size_t bytes) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t got = fread(x, 1, bytes, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (got != bytes || extra) {
    fprintf(stderr, "%s: expected exactly %zu bytes of float32\n", path,
            bytes);
    return -1;
  }
  return 0;
}

static int ppm_int(FILE *f) {
  int c, v = 0;
  while ((c = fgetc(f)) != EOF) {
    if (c == '#')
      while ((c = fgetc(f)) != EOF && c != '\n') {
      }
    else if (c >= '0' && c <= '9')
      break;
  }
  if (c == EOF)
    return -1;
  do
    v = v * 10 + (c - '0');
  while ((c = fgetc(f)) >= '0' && c <= '9' && v < 100000);
  return v;
}

static int read_ppm(const char *path, float *x, int h, int w) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  int pw = -1, ph = -1, maxv = -1;
  if (fgetc(f) != 'P' || fgetc(f) != '6' || (pw = ppm_int(f)) <= 0 ||
      (ph = ppm_int(f)) <= 0 || (maxv = ppm_int(f)) <= 0 || maxv > 255) {
    fprintf(stderr, "%s: not a binary 8-bit PPM (P6) file\n", path);
    fclose(f);
    return -1;
  }
  unsigned char *pix = malloc((size_t)pw * ph * 3);
  size_t got = pix ? fread(pix, 1, (size_t)pw * ph * 3, f) : 0;
  fclose(f);
  if (got != (size_t)pw * ph * 3) {
    fprintf(stderr, "%s: truncated PPM (%dx%d)\n", path, pw, ph);
    free(pix);
    return -1;
  }
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) {
        int si = i * ph / h, sj = j * pw / w;
        float v = pix[(si * pw + sj) * 3 + c] / (float)maxv;
        x[(c * h + i) * w + j] = (v - kMean[c]) / kStd[c];
      }
  free(pix);
  printf("input:     %s (%dx%d PPM, resized to %dx%d)\n", path, pw, ph, w, h);
  return 0;
}

static int write_file(const char *path, const void *data, size_t bytes) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, bytes, f) != bytes || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    return -1;
  }
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *image = NULL, *save_input = NULL, *save_scores = NULL;
  int runs = 10;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--save-input") && i + 1 < argc)
      save_input = argv[++i];
    else if (!strcmp(argv[i], "--save-scores") && i + 1 < argc)
      save_scores = argv[++i];
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (argv[i][0] == '-') {
      fprintf(stderr,
              "usage: %s [IMAGE.raw|IMAGE.ppm] [--runs N] "
              "[--save-input FILE] [--save-scores FILE]\n",
              argv[0]);
      return 2;
    } else
      image = argv[i];
  }
  if (runs < 1)
    runs = 1;

  /* 1. The model's description, from the compiled library. */
  const kiln_model_info *model = classifier_model();
  if (model->num_inputs != 1 || model->num_outputs != 1 ||
      model->inputs[0].elem_type != KILN_FLOAT ||
      model->inputs[0].rank != 4 || model->outputs[0].elem_type != KILN_FLOAT) {
    fprintf(stderr, "expected one float NCHW input and one float output\n");
    return 1;
  }
  const kiln_tensor_info *in = &model->inputs[0], *out = &model->outputs[0];
  char in_shape[64], out_shape[64];
  shape_string(in, in_shape, sizeof in_shape);
  shape_string(out, out_shape, sizeof out_shape);
  printf("model:     '%s'  input '%s' %s -> output '%s' %s\n", model->name,
         in->name, in_shape, out->name, out_shape);
  printf("workspace: %.2f MB per context\n", model->workspace_size / 1e6);

  /* 2. The input buffer, from a file or generated. */
  int h = (int)in->shape[2], w = (int)in->shape[3];
  float *input = malloc(kiln_tensor_bytes(in));
  float *scores = malloc(kiln_tensor_bytes(out));
  int64_t classes = kiln_tensor_elements(out);
  if (!input || !scores)
    return 1;
  if (!image) {
    generate_image(input, h, w);
    printf("input:     generated test picture (%dx%d gradient with a disc)\n",
           w, h);
  } else if (ends_with(image, ".ppm")) {
    if (read_ppm(image, input, h, w))
      return 1;
  } else {
    if (read_raw(image, input, kiln_tensor_bytes(in)))
      return 1;
    printf("input:     %s (raw float32)\n", image);
  }
  if (save_input && write_file(save_input, input, kiln_tensor_bytes(in)))
    return 1;

  /* 3. A context owns the workspace; kiln_run does not allocate. */
  kiln_context *ctx = kiln_context_create(model);
  if (!ctx) {
    fprintf(stderr, "kiln_context_create failed (out of memory?)\n");
    return 1;
  }
  const void *inputs[1] = {input};
  void *outputs[1] = {scores};
  double *times = malloc(sizeof(double) * runs);
  for (int r = 0; r <= runs; ++r) { /* run 0 is the warm-up */
    double t0 = now_ms();
    if (kiln_run(ctx, inputs, outputs) != KILN_OK) {
      fprintf(stderr, "kiln_run: %s\n", kiln_context_error(ctx));
      return 1;
    }
    if (r > 0)
      times[r - 1] = now_ms() - t0;
  }
  qsort(times, runs, sizeof(double), cmp_double);
  printf("inference: %.3f ms (median of %d runs after a warm-up)\n",
         times[runs / 2], runs);
  kiln_context_destroy(ctx);
  if (save_scores && write_file(save_scores, scores, kiln_tensor_bytes(out)))
    return 1;

  /* 4. The five best classes. */
  int top[5];
  int k = classes < 5 ? (int)classes : 5;
  for (int t = 0; t < k; ++t) {
    top[t] = -1;
    for (int64_t c = 0; c < classes; ++c) {
      int taken = 0;
      for (int u = 0; u < t; ++u)
        taken |= top[u] == c;
      if (!taken && (top[t] < 0 || scores[c] > scores[top[t]]))
        top[t] = (int)c;
    }
  }
  printf("\ntop-%d classes:\n", k);
  for (int t = 0; t < k; ++t) {
    float s = scores[top[t]];
    int bar = (int)lroundf(40.0f * s / (scores[top[0]] > 0 ? scores[top[0]] : 1));
    printf("  %d. class %4d  %8.5f  ", t + 1, top[t], s);
    for (int b = 0; b < bar && b < 40; ++b)
      putchar('#');
    putchar('\n');
  }
  free(times);
  free(input);
  free(scores);
  return 0;
}
