/*===- context.c - Contexts: workspace ownership and running a model ------===*
 *
 * Part of the kiln runtime: plain C11, linked statically into every library
 * that kilnc compiles, so it depends on nothing but libc.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln/runtime.h"

#include <stdio.h>
#include <stdlib.h>

/* Threaded code is OpenMP code, and a library with threaded code links the
 * OpenMP runtime. Weak references keep this file free of that dependency:
 * in a library with serial code they stay NULL and are never called. */
extern void omp_set_num_threads(int) __attribute__((weak));
extern int omp_get_max_threads(void) __attribute__((weak));

struct kiln_context {
  const kiln_model_info *model;
  /* KILN_WORKSPACE_ALIGNMENT aligned; NULL when the model needs none. */
  void *workspace;
  /* Whether this context allocated the workspace (and frees it). */
  int owns_workspace;
  /* Threads kiln_run uses; 0: the model's max_threads. */
  int32_t threads;
  /* The text of the last kiln_run error; "" after a successful run. */
  char error[512];
};

static kiln_context *newContext(const kiln_model_info *model) {
  if (!model || model->abi_version != KILN_ABI_VERSION)
    return NULL;
  kiln_context *ctx = (kiln_context *)malloc(sizeof(kiln_context));
  if (!ctx)
    return NULL;
  ctx->model = model;
  ctx->workspace = NULL;
  ctx->owns_workspace = 0;
  ctx->threads = 0;
  ctx->error[0] = '\0';
  return ctx;
}

kiln_context *kiln_context_create_with_workspace(const kiln_model_info *model,
                                                 void *workspace) {
  if (model && model->workspace_size > 0 &&
      (!workspace ||
       (uintptr_t)workspace % KILN_WORKSPACE_ALIGNMENT != 0))
    return NULL;
  kiln_context *ctx = newContext(model);
  if (ctx)
    ctx->workspace = model->workspace_size > 0 ? workspace : NULL;
  return ctx;
}

kiln_context *kiln_context_create(const kiln_model_info *model) {
  kiln_context *ctx = newContext(model);
  if (!ctx)
    return NULL;
  if (model->workspace_size > 0) {
    /* aligned_alloc wants a multiple of the alignment. */
    const uint64_t align = KILN_WORKSPACE_ALIGNMENT;
    if (model->workspace_size > (uint64_t)SIZE_MAX - (align - 1)) {
      free(ctx);
      return NULL;
    }
    size_t size = (size_t)((model->workspace_size + align - 1) & ~(align - 1));
    ctx->workspace = aligned_alloc(KILN_WORKSPACE_ALIGNMENT, size);
    if (!ctx->workspace) {
      free(ctx);
      return NULL;
    }
    ctx->owns_workspace = 1;
  }
  return ctx;
}

void kiln_context_destroy(kiln_context *ctx) {
  if (!ctx)
    return;
  if (ctx->owns_workspace)
    free(ctx->workspace);
  free(ctx);
}

int32_t kiln_context_set_threads(kiln_context *ctx, int32_t threads) {
  if (!ctx || threads < 0)
    return -1;
  int32_t most = ctx->model->max_threads > 1 ? ctx->model->max_threads : 1;
  ctx->threads = threads == 0 || threads > most ? 0 : threads;
  return ctx->threads ? ctx->threads : most;
}

const kiln_model_info *kiln_context_model(const kiln_context *ctx) {
  return ctx ? ctx->model : NULL;
}

const char *kiln_context_error(const kiln_context *ctx) {
  return ctx ? ctx->error : "kiln: NULL context";
}

static const char *nameOf(const kiln_tensor_info *tensor) {
  return tensor->name ? tensor->name : "";
}

/* Checks every buffer before the compiled code dereferences it: a NULL there
 * would otherwise be a crash deep inside generated code. A NULL is fine for a
 * tensor with no elements, since nothing reads or writes it. */
static int checkBuffers(kiln_context *ctx, const char *kind,
                        const kiln_tensor_info *tensors, int32_t count,
                        const void *const *buffers) {
  if (count > 0 && !buffers) {
    snprintf(ctx->error, sizeof(ctx->error),
             "kiln_run: model '%s': the %s array is NULL (expected %d "
             "buffers)",
             ctx->model->name ? ctx->model->name : "", kind, (int)count);
    return 0;
  }
  for (int32_t i = 0; i < count; ++i) {
    if (buffers[i] || kiln_tensor_bytes(&tensors[i]) == 0)
      continue;
    snprintf(ctx->error, sizeof(ctx->error),
             "kiln_run: model '%s': %s %d '%s' has a NULL buffer",
             ctx->model->name ? ctx->model->name : "", kind, (int)i,
             nameOf(&tensors[i]));
    return 0;
  }
  return 1;
}

kiln_status kiln_run(kiln_context *ctx, const void *const *inputs,
                     void *const *outputs) {
  if (!ctx)
    return KILN_ERROR_INVALID_ARGUMENT;
  const kiln_model_info *model = ctx->model;
  ctx->error[0] = '\0';
  if (!model->entry) {
    snprintf(ctx->error, sizeof(ctx->error),
             "kiln_run: model '%s' has no entry function",
             model->name ? model->name : "");
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  if (!checkBuffers(ctx, "input", model->inputs, model->num_inputs, inputs) ||
      !checkBuffers(ctx, "output", model->outputs, model->num_outputs,
                    (const void *const *)outputs))
    return KILN_ERROR_INVALID_ARGUMENT;
  /* The thread count is the OpenMP ICV of the calling thread: set for the
   * run, then restored, so the caller's own OpenMP code is unaffected. By
   * default the code runs on as many threads as it was compiled for, but
   * no more than OpenMP would give it (OMP_NUM_THREADS, the cores). */
  int threaded =
      model->max_threads > 1 && omp_set_num_threads && omp_get_max_threads;
  int callerThreads = threaded ? omp_get_max_threads() : 0;
  if (threaded)
    omp_set_num_threads(ctx->threads ? ctx->threads
                        : model->max_threads < callerThreads
                            ? model->max_threads
                            : callerThreads);
  model->entry(ctx->workspace, inputs, outputs);
  if (threaded)
    omp_set_num_threads(callerThreads);
  return KILN_OK;
}
