//===- RuntimeTest.cpp - Tests of the C runtime (kiln/runtime.h) ----------===//

#include "kiln/runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#define KILN_UNDER_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_UNDER_ASAN
#endif
#endif

namespace {

TEST(ElemTypes, SizesAndNames) {
  EXPECT_EQ(kiln_elem_size(KILN_FLOAT), 4u);
  EXPECT_EQ(kiln_elem_size(KILN_DOUBLE), 8u);
  EXPECT_EQ(kiln_elem_size(KILN_FLOAT16), 2u);
  EXPECT_EQ(kiln_elem_size(KILN_BFLOAT16), 2u);
  EXPECT_EQ(kiln_elem_size(KILN_INT8), 1u);
  EXPECT_EQ(kiln_elem_size(KILN_UINT8), 1u);
  EXPECT_EQ(kiln_elem_size(KILN_BOOL), 1u);
  EXPECT_EQ(kiln_elem_size(KILN_INT16), 2u);
  EXPECT_EQ(kiln_elem_size(KILN_UINT16), 2u);
  EXPECT_EQ(kiln_elem_size(KILN_INT32), 4u);
  EXPECT_EQ(kiln_elem_size(KILN_UINT32), 4u);
  EXPECT_EQ(kiln_elem_size(KILN_INT64), 8u);
  EXPECT_EQ(kiln_elem_size(KILN_UINT64), 8u);
  EXPECT_EQ(kiln_elem_size(0), 0u);
  EXPECT_EQ(kiln_elem_size(8), 0u); // ONNX STRING
  EXPECT_EQ(kiln_elem_size(-1), 0u);

  EXPECT_STREQ(kiln_elem_type_name(KILN_FLOAT), "float");
  EXPECT_STREQ(kiln_elem_type_name(KILN_INT64), "int64");
  EXPECT_STREQ(kiln_elem_type_name(KILN_BOOL), "bool");
  EXPECT_STREQ(kiln_elem_type_name(KILN_FLOAT16), "float16");
  EXPECT_STREQ(kiln_elem_type_name(KILN_BFLOAT16), "bfloat16");
  EXPECT_STREQ(kiln_elem_type_name(KILN_UINT8), "uint8");
  EXPECT_STREQ(kiln_elem_type_name(8), "unknown");

  // The narrow types take one byte per element in kiln buffers.
  for (int32_t t : {KILN_FLOAT8E4M3FN, KILN_FLOAT8E4M3FNUZ, KILN_FLOAT8E5M2,
                    KILN_FLOAT8E5M2FNUZ, KILN_UINT4, KILN_INT4,
                    KILN_FLOAT4E2M1, KILN_FLOAT8E8M0, KILN_UINT2, KILN_INT2})
    EXPECT_EQ(kiln_elem_size(t), 1u) << t;
  EXPECT_STREQ(kiln_elem_type_name(KILN_FLOAT8E4M3FN), "float8e4m3fn");
  EXPECT_STREQ(kiln_elem_type_name(KILN_INT4), "int4");
  EXPECT_STREQ(kiln_elem_type_name(KILN_FLOAT4E2M1), "float4e2m1");
  EXPECT_STREQ(kiln_elem_type_name(KILN_UINT2), "uint2");
}

TEST(TensorInfo, ElementsAndBytes) {
  const int64_t shape[] = {2, 3, 4};
  kiln_tensor_info t = {"t", KILN_FLOAT, 3, shape};
  EXPECT_EQ(kiln_tensor_elements(&t), 24);
  EXPECT_EQ(kiln_tensor_bytes(&t), 96u);
  t.elem_type = KILN_INT64;
  EXPECT_EQ(kiln_tensor_bytes(&t), 192u);
  t.elem_type = KILN_BOOL;
  EXPECT_EQ(kiln_tensor_bytes(&t), 24u);

  kiln_tensor_info scalar = {"s", KILN_DOUBLE, 0, nullptr};
  EXPECT_EQ(kiln_tensor_elements(&scalar), 1);
  EXPECT_EQ(kiln_tensor_bytes(&scalar), 8u);

  const int64_t empty[] = {4, 0};
  kiln_tensor_info none = {"e", KILN_FLOAT, 2, empty};
  EXPECT_EQ(kiln_tensor_elements(&none), 0);
  EXPECT_EQ(kiln_tensor_bytes(&none), 0u);

  const int64_t negative[] = {-1, 3};
  kiln_tensor_info bad = {"b", KILN_FLOAT, 2, negative};
  EXPECT_EQ(kiln_tensor_elements(&bad), -1);
  EXPECT_EQ(kiln_tensor_bytes(&bad), 0u);

  const int64_t huge[] = {INT64_MAX / 2, 4};
  kiln_tensor_info overflow = {"o", KILN_FLOAT, 2, huge};
  EXPECT_EQ(kiln_tensor_elements(&overflow), -1);

  kiln_tensor_info unknownType = {"u", 8, 3, shape};
  EXPECT_EQ(kiln_tensor_bytes(&unknownType), 0u);
  EXPECT_EQ(kiln_tensor_bytes(nullptr), 0u);
  EXPECT_EQ(kiln_tensor_elements(nullptr), -1);
}

// A hand-written "compiled model": out = in + 1 over a float [2, 3], going
// through the workspace the way generated code keeps intermediates there.
constexpr uint64_t FakeWorkspaceSize = 100; // Not a multiple of 64 on purpose.
void *lastWorkspace = nullptr;
int fakeCalls = 0;

extern "C" void fakeEntry(void *workspace, const void *const *inputs,
                          void *const *outputs) {
  lastWorkspace = workspace;
  ++fakeCalls;
  // Touch every byte the model asked for, so a short allocation shows up
  // under a sanitizer.
  std::memset(workspace, 0xab, FakeWorkspaceSize);
  auto *tmp = static_cast<float *>(workspace);
  auto *in = static_cast<const float *>(inputs[0]);
  auto *out = static_cast<float *>(outputs[0]);
  for (int i = 0; i < 6; ++i)
    tmp[i] = in[i] + 1.0f;
  std::memcpy(out, tmp, 6 * sizeof(float));
}

const int64_t FakeShape[] = {2, 3};
const kiln_tensor_info FakeInputs[] = {{"x", KILN_FLOAT, 2, FakeShape}};
const kiln_tensor_info FakeOutputs[] = {{"y", KILN_FLOAT, 2, FakeShape}};

kiln_model_info fakeModel() {
  kiln_model_info model = {};
  model.abi_version = KILN_ABI_VERSION;
  model.name = "fake_add";
  model.num_inputs = 1;
  model.num_outputs = 1;
  model.inputs = FakeInputs;
  model.outputs = FakeOutputs;
  model.workspace_size = FakeWorkspaceSize;
  model.entry = fakeEntry;
  return model;
}

TEST(Context, CreateRunDestroy) {
  kiln_model_info model = fakeModel();
  kiln_context *ctx = kiln_context_create(&model);
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(kiln_context_model(ctx), &model);
  EXPECT_STREQ(kiln_context_error(ctx), "");

  float in[6] = {0, 1, 2, 3, 4, 5}, out[6] = {};
  const void *inputs[] = {in};
  void *outputs[] = {out};
  fakeCalls = 0;
  ASSERT_EQ(kiln_run(ctx, inputs, outputs), KILN_OK);
  EXPECT_EQ(fakeCalls, 1);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(out[i], in[i] + 1.0f);
  ASSERT_NE(lastWorkspace, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(lastWorkspace) %
                KILN_WORKSPACE_ALIGNMENT,
            0u);

  // The context reuses its workspace: no allocation per run.
  void *first = lastWorkspace;
  ASSERT_EQ(kiln_run(ctx, inputs, outputs), KILN_OK);
  EXPECT_EQ(lastWorkspace, first);
  kiln_context_destroy(ctx);
  kiln_context_destroy(nullptr); // A no-op, like free.
}

TEST(Context, ZeroWorkspace) {
  kiln_model_info model = fakeModel();
  model.workspace_size = 0;
  model.entry = [](void *workspace, const void *const *, void *const *) {
    lastWorkspace = workspace;
  };
  kiln_context *ctx = kiln_context_create(&model);
  ASSERT_NE(ctx, nullptr);
  float in[6] = {}, out[6] = {};
  const void *inputs[] = {in};
  void *outputs[] = {out};
  lastWorkspace = &model;
  EXPECT_EQ(kiln_run(ctx, inputs, outputs), KILN_OK);
  EXPECT_EQ(lastWorkspace, nullptr);
  kiln_context_destroy(ctx);
}

TEST(Context, NullBuffersAreReported) {
  kiln_model_info model = fakeModel();
  kiln_context *ctx = kiln_context_create(&model);
  ASSERT_NE(ctx, nullptr);
  float buf[6] = {};
  const void *inputs[] = {buf};
  void *outputs[] = {buf};
  const void *nullInputs[] = {nullptr};
  void *nullOutputs[] = {nullptr};
  fakeCalls = 0;

  EXPECT_EQ(kiln_run(ctx, nullInputs, outputs), KILN_ERROR_INVALID_ARGUMENT);
  std::string error = kiln_context_error(ctx);
  EXPECT_NE(error.find("input 0 'x'"), std::string::npos) << error;
  EXPECT_NE(error.find("NULL"), std::string::npos) << error;

  EXPECT_EQ(kiln_run(ctx, inputs, nullOutputs), KILN_ERROR_INVALID_ARGUMENT);
  error = kiln_context_error(ctx);
  EXPECT_NE(error.find("output 0 'y'"), std::string::npos) << error;

  EXPECT_EQ(kiln_run(ctx, nullptr, outputs), KILN_ERROR_INVALID_ARGUMENT);
  error = kiln_context_error(ctx);
  EXPECT_NE(error.find("input array is NULL"), std::string::npos) << error;

  EXPECT_EQ(kiln_run(ctx, inputs, nullptr), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(fakeCalls, 0);

  // A successful run clears the error.
  EXPECT_EQ(kiln_run(ctx, inputs, outputs), KILN_OK);
  EXPECT_STREQ(kiln_context_error(ctx), "");
  kiln_context_destroy(ctx);

  EXPECT_EQ(kiln_run(nullptr, inputs, outputs), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(kiln_context_error(nullptr), nullptr);
}

TEST(Context, MissingEntry) {
  kiln_model_info model = fakeModel();
  model.entry = nullptr;
  kiln_context *ctx = kiln_context_create(&model);
  ASSERT_NE(ctx, nullptr);
  float buf[6] = {};
  const void *inputs[] = {buf};
  void *outputs[] = {buf};
  EXPECT_EQ(kiln_run(ctx, inputs, outputs), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(kiln_context_error(ctx)).find("no entry"),
            std::string::npos);
  kiln_context_destroy(ctx);
}

TEST(Context, CallerWorkspace) {
  kiln_model_info model = fakeModel();
  alignas(KILN_WORKSPACE_ALIGNMENT) static uint8_t workspace[2 * FakeWorkspaceSize];
  kiln_context *ctx = kiln_context_create_with_workspace(&model, workspace);
  ASSERT_NE(ctx, nullptr);
  float in[6] = {0, 1, 2, 3, 4, 5}, out[6] = {};
  const void *inputs[] = {in};
  void *outputs[] = {out};
  ASSERT_EQ(kiln_run(ctx, inputs, outputs), KILN_OK);
  EXPECT_EQ(lastWorkspace, workspace);
  EXPECT_EQ(out[5], 6.0f);
  kiln_context_destroy(ctx); // Leaves the caller's workspace alone.
  EXPECT_EQ(workspace[FakeWorkspaceSize - 1], 0xab);

  // Missing or misaligned: no context.
  EXPECT_EQ(kiln_context_create_with_workspace(&model, nullptr), nullptr);
  EXPECT_EQ(kiln_context_create_with_workspace(&model, workspace + 4),
            nullptr);
  // A model without a workspace needs none.
  model.workspace_size = 0;
  ctx = kiln_context_create_with_workspace(&model, nullptr);
  ASSERT_NE(ctx, nullptr);
  kiln_context_destroy(ctx);
}

TEST(Context, Threads) {
  kiln_model_info model = fakeModel();
  model.max_threads = 4;
  kiln_context *ctx = kiln_context_create(&model);
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(kiln_context_set_threads(ctx, 2), 2);
  EXPECT_EQ(kiln_context_set_threads(ctx, 0), 4); // The default: all.
  EXPECT_EQ(kiln_context_set_threads(ctx, 9), 4); // At most max_threads.
  EXPECT_EQ(kiln_context_set_threads(ctx, -1), -1);
  EXPECT_EQ(kiln_context_set_threads(nullptr, 1), -1);
  kiln_context_destroy(ctx);
  // Serial code runs on one thread whatever is asked.
  model.max_threads = 1;
  ctx = kiln_context_create(&model);
  EXPECT_EQ(kiln_context_set_threads(ctx, 2), 1);
  kiln_context_destroy(ctx);
}

TEST(Context, AbiMismatchAndNullModel) {
  kiln_model_info model = fakeModel();
  model.abi_version = KILN_ABI_VERSION + 1;
  EXPECT_EQ(kiln_context_create(&model), nullptr);
  model.abi_version = 0;
  EXPECT_EQ(kiln_context_create(&model), nullptr);
  EXPECT_EQ(kiln_context_create(nullptr), nullptr);
  EXPECT_EQ(kiln_context_model(nullptr), nullptr);
}

TEST(Context, HugeWorkspaceFailsCleanly) {
  kiln_model_info model = fakeModel();
  model.workspace_size = UINT64_MAX - 10; // Would overflow the rounding.
  EXPECT_EQ(kiln_context_create(&model), nullptr);
#ifndef KILN_UNDER_ASAN // ASan aborts on impossible sizes by default.
  model.workspace_size = uint64_t(1) << 62; // Far beyond any memory.
  EXPECT_EQ(kiln_context_create(&model), nullptr);
#endif
}

TEST(Model, FindInputAndOutput) {
  const int64_t shape[] = {1};
  const kiln_tensor_info inputs[] = {{"a", KILN_FLOAT, 1, shape},
                                     {"b", KILN_INT64, 1, shape}};
  const kiln_tensor_info outputs[] = {{"c", KILN_FLOAT, 1, shape}};
  kiln_model_info model = fakeModel();
  model.num_inputs = 2;
  model.inputs = inputs;
  model.outputs = outputs;
  EXPECT_EQ(kiln_find_input(&model, "a"), 0);
  EXPECT_EQ(kiln_find_input(&model, "b"), 1);
  EXPECT_EQ(kiln_find_input(&model, "c"), -1);
  EXPECT_EQ(kiln_find_output(&model, "c"), 0);
  EXPECT_EQ(kiln_find_output(&model, "a"), -1);
  EXPECT_EQ(kiln_find_input(&model, nullptr), -1);
  EXPECT_EQ(kiln_find_input(nullptr, "a"), -1);
}

} // namespace
