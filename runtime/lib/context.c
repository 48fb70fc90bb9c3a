/*===- context.c - Contexts: workspace ownership and running a model ------===*
 *
 * Part of the kiln runtime: plain C11, linked statically into every library
 * that kilnc compiles, so it depends on nothing but libc.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln/runtime.h"

#include <stdio.h>
#include <stdlib.h>

struct kiln_context {
  const kiln_model_info *model;
  /* KILN_WORKSPACE_ALIGNMENT aligned; NULL when the model needs none. */
  void *workspace;
  /* The text of the last kiln_run error; "" after a successful run. */
  char error[512];
};

kiln_context *kiln_context_create(const kiln_model_info *model) {
  if (!model || model->abi_version != KILN_ABI_VERSION)
    return NULL;
  kiln_context *ctx = (kiln_context *)malloc(sizeof(kiln_context));
  if (!ctx)
    return NULL;
  ctx->model = model;
  ctx->workspace = NULL;
  ctx->error[0] = '\0';
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
  }
  return ctx;
}

void kiln_context_destroy(kiln_context *ctx) {
  if (!ctx)
    return;
  free(ctx->workspace);
  free(ctx);
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
  model->entry(ctx->workspace, inputs, outputs);
  return KILN_OK;
}
