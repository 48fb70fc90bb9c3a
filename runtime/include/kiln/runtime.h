/*===- kiln/runtime.h - The C ABI of libraries compiled by kilnc ----------===*
 *
 * A library that kilnc compiles describes its model with a kiln_model_info
 * (names, element types and shapes of inputs and outputs, the size of the
 * workspace it needs) and runs it on caller-provided buffers.
 *
 * Usage:
 *   const kiln_model_info *m = resnet18_model();      // or kiln_library_model()
 *   kiln_context *ctx = kiln_context_create(m);        // allocates the workspace
 *   const void *in[1] = {image}; void *out[1] = {scores};
 *   if (kiln_run(ctx, in, out) != KILN_OK) puts(kiln_context_error(ctx));
 *   kiln_context_destroy(ctx);
 *
 * Buffers are dense, row-major (C order) arrays of the declared element type
 * and shape; inputs are read-only, outputs are fully overwritten. A context
 * owns the workspace that holds every intermediate tensor (or uses one the
 * caller provides), so kiln_run does not allocate. One context must not run
 * on two threads at once; use one context per thread.
 *
 * Threads: kilnc --num-threads=N compiles code that runs on up to N threads
 * (model->max_threads; 1 is serial code). kiln_context_set_threads chooses,
 * per context and at run time, how many of them kiln_run uses.
 *
 * ABI stability: kiln_model_info.abi_version is KILN_ABI_VERSION of the
 * compiler that produced the library; fields are only ever appended.
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_ABI_VERSION 2

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum kiln_elem_type {
  KILN_FLOAT = 1,
  KILN_UINT8 = 2,
  KILN_INT8 = 3,
  KILN_UINT16 = 4,
  KILN_INT16 = 5,
  KILN_INT32 = 6,
  KILN_INT64 = 7,
  KILN_BOOL = 9, /* one byte per element, 0 or 1 */
  KILN_FLOAT16 = 10,
  KILN_DOUBLE = 11,
  KILN_UINT32 = 12,
  KILN_UINT64 = 13,
  KILN_BFLOAT16 = 16,
  /* The 8-bit floats (ONNX 1.14+) are one byte each, their bit patterns. */
  KILN_FLOAT8E4M3FN = 17,
  KILN_FLOAT8E4M3FNUZ = 18,
  KILN_FLOAT8E5M2 = 19,
  KILN_FLOAT8E5M2FNUZ = 20,
  /* Sub-byte types take one byte per element in kiln buffers (ONNX files
   * pack them): the integers sign- or zero-extended to 8 bits, FLOAT4E2M1
   * its 4-bit code in the low bits. */
  KILN_UINT4 = 21,
  KILN_INT4 = 22,
  KILN_FLOAT4E2M1 = 23,
  KILN_FLOAT8E8M0 = 24,
  KILN_UINT2 = 25,
  KILN_INT2 = 26
} kiln_elem_type;

typedef enum kiln_status {
  KILN_OK = 0,
  KILN_ERROR_INVALID_ARGUMENT = 1,
  KILN_ERROR_OUT_OF_MEMORY = 2,
  KILN_ERROR_ABI_MISMATCH = 3
} kiln_status;

typedef struct kiln_tensor_info {
  const char *name;     /* the ONNX value name */
  int32_t elem_type;    /* a kiln_elem_type */
  int32_t rank;
  const int64_t *shape; /* rank entries */
} kiln_tensor_info;

/* The compiled graph. inputs[i] and outputs[i] follow the order of
 * kiln_model_info.inputs and .outputs; workspace is KILN_WORKSPACE_ALIGNMENT
 * aligned and workspace_size bytes long. */
typedef void (*kiln_entry_fn)(void *workspace, const void *const *inputs,
                              void *const *outputs);

typedef struct kiln_model_info {
  uint32_t abi_version;
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const kiln_tensor_info *inputs;
  const kiln_tensor_info *outputs;
  uint64_t workspace_size;
  kiln_entry_fn entry;
  /* The most threads the compiled code runs on; 1 for serial code. */
  int32_t max_threads;
} kiln_model_info;

#define KILN_WORKSPACE_ALIGNMENT 64

/* Every library exports kiln_library_model() (a weak symbol, so that several
 * statically linked models coexist) and <prefix>_model(), named after the
 * model (see the generated header). */
const kiln_model_info *kiln_library_model(void);

/* Sizes in bytes of one element and of a whole tensor; 0 for an unknown type.
 * kiln_tensor_elements is 1 for a scalar (rank 0) and -1 for a malformed
 * shape (a negative dimension, or a count that overflows). */
size_t kiln_elem_size(int32_t elem_type);
size_t kiln_tensor_bytes(const kiln_tensor_info *tensor);
int64_t kiln_tensor_elements(const kiln_tensor_info *tensor);
/* "float", "int64", ... ; "unknown" for an unknown type. */
const char *kiln_elem_type_name(int32_t elem_type);

typedef struct kiln_context kiln_context;

/* Creates a context with its workspace (uninitialized; none when the model's
 * workspace_size is 0, and entry then receives NULL); NULL when out of memory
 * or when the model was compiled for another ABI version. Destroy the context
 * before unloading the library that holds the model. kiln_context_destroy
 * accepts NULL. */
kiln_context *kiln_context_create(const kiln_model_info *model);
/* The same with a workspace the caller owns: KILN_WORKSPACE_ALIGNMENT
 * aligned, at least model->workspace_size bytes, alive and unused by anything
 * else while the context runs (NULL if workspace_size is 0). NULL when the
 * workspace is missing or misaligned, or on an ABI mismatch. */
kiln_context *kiln_context_create_with_workspace(const kiln_model_info *model,
                                                 void *workspace);
void kiln_context_destroy(kiln_context *ctx);
const kiln_model_info *kiln_context_model(const kiln_context *ctx);

/* Runs the model once. Returns KILN_OK, or an error whose text
 * kiln_context_error() gives (a NULL buffer, say; NULL is accepted only for a
 * tensor with no elements). The text stays valid until the next kiln_run on
 * the context and is "" after a successful run. */
kiln_status kiln_run(kiln_context *ctx, const void *const *inputs,
                     void *const *outputs);
const char *kiln_context_error(const kiln_context *ctx);

/* How many threads kiln_run uses for this context: between 1 and
 * model->max_threads; 0 (the default) means max_threads, but no more than
 * OpenMP allows (OMP_NUM_THREADS, the cores). Returns the count asked for
 * (max_threads for 0), or -1 for a NULL context or a negative count. */
int32_t kiln_context_set_threads(kiln_context *ctx, int32_t threads);

/* Index of the input or output with this name, or -1. */
int32_t kiln_find_input(const kiln_model_info *model, const char *name);
int32_t kiln_find_output(const kiln_model_info *model, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_H */
