/*===- FakeModel.c - A hand-written stand-in for a kilnc library ----------===*
 *
 * Exports what kilnc puts into a compiled library, so that kiln-run can be
 * tested without the compiler: two inputs x (float [2, 3]) and n (int64 [2]),
 * two outputs y = x + 1 and m = 2 * n. Built as a shared library with the
 * runtime linked in, exactly as kilnc links it; with KILN_FAKE_NO_SYMBOL it
 * lacks kiln_library_model.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln/runtime.h"

static void entry(void *workspace, const void *const *inputs,
                  void *const *outputs) {
  const float *x = (const float *)inputs[0];
  const int64_t *n = (const int64_t *)inputs[1];
  float *tmp = (float *)workspace;
  for (int i = 0; i < 6; ++i)
    tmp[i] = x[i] + 1.0f;
  float *y = (float *)outputs[0];
  for (int i = 0; i < 6; ++i)
    y[i] = tmp[i];
  int64_t *m = (int64_t *)outputs[1];
  for (int i = 0; i < 2; ++i)
    m[i] = 2 * n[i];
}

static const int64_t xShape[] = {2, 3};
static const int64_t nShape[] = {2};
static const kiln_tensor_info inputs[] = {{"x", KILN_FLOAT, 2, xShape},
                                          {"n", KILN_INT64, 1, nShape}};
static const kiln_tensor_info outputs[] = {{"y", KILN_FLOAT, 2, xShape},
                                           {"m", KILN_INT64, 1, nShape}};
static const kiln_model_info model = {
    KILN_ABI_VERSION, "fake", 2, 2, inputs, outputs, 6 * sizeof(float), entry,
    /*max_threads=*/1};

const kiln_model_info *fake_model(void) { return &model; }

#ifndef KILN_FAKE_NO_SYMBOL
__attribute__((weak)) const kiln_model_info *kiln_library_model(void) {
  return &model;
}
#endif
