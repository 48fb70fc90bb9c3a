/* A tiny C program linked against a model compiled by kilnc to .a or .o.
 *
 *   clang-22 -I OUTDIR -I runtime/include -include MODEL.h \
 *       -DKILN_MODEL_FN=MODEL_model link_main.c MODEL.a -lm -o driver
 *   ./driver OUTDIR IN_0.raw [IN_1.raw ...]
 *
 * Reads each input as raw bytes (exactly kiln_tensor_bytes of them), runs the
 * model through the generated <name>_model() entry and the runtime's context
 * API, and writes output K's raw bytes to OUTDIR/output_K.raw. Exit status 0
 * on success, 1 on any error (with a message on stderr).
 */
#include <stdio.h>
#include <stdlib.h>

#ifndef KILN_MODEL_FN
#error "define KILN_MODEL_FN to the generated <name>_model function"
#endif

static void *read_file(const char *path, size_t want) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "driver: cannot open %s\n", path);
    return NULL;
  }
  void *buf = malloc(want ? want : 1);
  size_t got = buf ? fread(buf, 1, want, f) : 0;
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (!buf || got != want || extra) {
    fprintf(stderr, "driver: %s: expected exactly %zu bytes\n", path, want);
    free(buf);
    return NULL;
  }
  return buf;
}

int main(int argc, char **argv) {
  const kiln_model_info *m = KILN_MODEL_FN();
  if (argc != 2 + m->num_inputs) {
    fprintf(stderr, "usage: %s OUTDIR IN_0.raw ... (%d inputs)\n", argv[0],
            m->num_inputs);
    return 1;
  }
  const void **inputs = calloc((size_t)m->num_inputs + 1, sizeof(void *));
  void **outputs = calloc((size_t)m->num_outputs + 1, sizeof(void *));
  for (int i = 0; i < m->num_inputs; ++i)
    if (!(inputs[i] = read_file(argv[2 + i], kiln_tensor_bytes(&m->inputs[i]))))
      return 1;
  for (int k = 0; k < m->num_outputs; ++k)
    outputs[k] = malloc(kiln_tensor_bytes(&m->outputs[k]) + 1);

  kiln_context *ctx = kiln_context_create(m);
  if (!ctx) {
    fprintf(stderr, "driver: kiln_context_create failed\n");
    return 1;
  }
  if (kiln_run(ctx, (const void *const *)inputs, outputs) != KILN_OK) {
    fprintf(stderr, "driver: kiln_run: %s\n", kiln_context_error(ctx));
    return 1;
  }
  for (int k = 0; k < m->num_outputs; ++k) {
    char path[4096];
    snprintf(path, sizeof path, "%s/output_%d.raw", argv[1], k);
    FILE *f = fopen(path, "wb");
    size_t n = kiln_tensor_bytes(&m->outputs[k]);
    if (!f || fwrite(outputs[k], 1, n, f) != n || fclose(f) != 0) {
      fprintf(stderr, "driver: cannot write %s\n", path);
      return 1;
    }
  }
  printf("model '%s': ran, %d output(s) written to %s\n", m->name,
         m->num_outputs, argv[1]);
  kiln_context_destroy(ctx);
  return 0;
}
