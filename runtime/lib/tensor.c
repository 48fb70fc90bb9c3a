/*===- tensor.c - Element types and tensor sizes --------------------------===*
 *
 * Part of the kiln runtime: plain C11, linked statically into every library
 * that kilnc compiles, so it depends on nothing but libc.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln/runtime.h"

#include <string.h>

size_t kiln_elem_size(int32_t elem_type) {
  switch (elem_type) {
  case KILN_UINT8:
  case KILN_INT8:
  case KILN_BOOL:
  case KILN_FLOAT8E4M3FN:
  case KILN_FLOAT8E4M3FNUZ:
  case KILN_FLOAT8E5M2:
  case KILN_FLOAT8E5M2FNUZ:
  case KILN_UINT4:
  case KILN_INT4:
  case KILN_FLOAT4E2M1:
  case KILN_FLOAT8E8M0:
  case KILN_UINT2:
  case KILN_INT2:
    return 1;
  case KILN_UINT16:
  case KILN_INT16:
  case KILN_FLOAT16:
  case KILN_BFLOAT16:
    return 2;
  case KILN_FLOAT:
  case KILN_INT32:
  case KILN_UINT32:
    return 4;
  case KILN_INT64:
  case KILN_DOUBLE:
  case KILN_UINT64:
    return 8;
  default:
    return 0;
  }
}

const char *kiln_elem_type_name(int32_t elem_type) {
  switch (elem_type) {
  case KILN_FLOAT:
    return "float";
  case KILN_UINT8:
    return "uint8";
  case KILN_INT8:
    return "int8";
  case KILN_UINT16:
    return "uint16";
  case KILN_INT16:
    return "int16";
  case KILN_INT32:
    return "int32";
  case KILN_INT64:
    return "int64";
  case KILN_BOOL:
    return "bool";
  case KILN_FLOAT16:
    return "float16";
  case KILN_DOUBLE:
    return "double";
  case KILN_UINT32:
    return "uint32";
  case KILN_UINT64:
    return "uint64";
  case KILN_BFLOAT16:
    return "bfloat16";
  case KILN_FLOAT8E4M3FN:
    return "float8e4m3fn";
  case KILN_FLOAT8E4M3FNUZ:
    return "float8e4m3fnuz";
  case KILN_FLOAT8E5M2:
    return "float8e5m2";
  case KILN_FLOAT8E5M2FNUZ:
    return "float8e5m2fnuz";
  case KILN_UINT4:
    return "uint4";
  case KILN_INT4:
    return "int4";
  case KILN_FLOAT4E2M1:
    return "float4e2m1";
  case KILN_FLOAT8E8M0:
    return "float8e8m0";
  case KILN_UINT2:
    return "uint2";
  case KILN_INT2:
    return "int2";
  default:
    return "unknown";
  }
}

/* -1 for a malformed description (negative rank or dimension, or a count that
 * overflows int64), so that callers never size a buffer from garbage. */
int64_t kiln_tensor_elements(const kiln_tensor_info *tensor) {
  if (!tensor || tensor->rank < 0 || (tensor->rank > 0 && !tensor->shape))
    return -1;
  int64_t count = 1;
  for (int32_t i = 0; i < tensor->rank; ++i) {
    int64_t dim = tensor->shape[i];
    if (dim < 0)
      return -1;
    if (dim != 0 && count > INT64_MAX / dim)
      return -1;
    count *= dim;
  }
  return count;
}

size_t kiln_tensor_bytes(const kiln_tensor_info *tensor) {
  if (!tensor)
    return 0;
  size_t elemSize = kiln_elem_size(tensor->elem_type);
  int64_t count = kiln_tensor_elements(tensor);
  if (elemSize == 0 || count < 0 || (uint64_t)count > SIZE_MAX / elemSize)
    return 0;
  return (size_t)count * elemSize;
}

static int32_t findTensor(const kiln_tensor_info *tensors, int32_t count,
                          const char *name) {
  if (!tensors || !name)
    return -1;
  for (int32_t i = 0; i < count; ++i)
    if (tensors[i].name && strcmp(tensors[i].name, name) == 0)
      return i;
  return -1;
}

int32_t kiln_find_input(const kiln_model_info *model, const char *name) {
  return model ? findTensor(model->inputs, model->num_inputs, name) : -1;
}

int32_t kiln_find_output(const kiln_model_info *model, const char *name) {
  return model ? findTensor(model->outputs, model->num_outputs, name) : -1;
}
