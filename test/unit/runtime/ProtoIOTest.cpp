//===- ProtoIOTest.cpp - Tests of kiln-run's TensorProto reader and writer ===//

#include "ProtoIO.h"
#include "TempDir.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <cstring>

using namespace kiln;

namespace {

std::string serialize(const onnx::TensorProto &proto) {
  std::string bytes;
  proto.SerializeToString(&bytes);
  return bytes;
}

TEST(ProtoIO, RawDataRoundTrip) {
  test::TempDir dir;
  HostTensor t;
  t.name = "logits";
  t.elemType = KILN_FLOAT;
  t.shape = {2, 2};
  float values[] = {1.5f, -2.0f, 0.0f, 3.25f};
  t.bytes.resize(sizeof(values));
  std::memcpy(t.bytes.data(), values, sizeof(values));

  std::string error, path = dir.file("output_0.pb");
  ASSERT_TRUE(writeTensorProto(path, t, error)) << error;
  HostTensor back;
  ASSERT_TRUE(readTensorProto(path, back, error)) << error;
  EXPECT_EQ(back.name, "logits");
  EXPECT_EQ(back.elemType, KILN_FLOAT);
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.bytes, t.bytes);

  // What kiln-run writes is what the ONNX tools read: raw_data and dims.
  onnx::TensorProto proto;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(proto.ParseFromIstream(&in));
  EXPECT_EQ(proto.name(), "logits");
  EXPECT_EQ(proto.data_type(), onnx::TensorProto::FLOAT);
  ASSERT_EQ(proto.dims_size(), 2);
  EXPECT_EQ(proto.raw_data().size(), sizeof(values));
}

TEST(ProtoIO, PackedSubByteTypes) {
  test::TempDir dir;
  std::string error;
  // INT4 [3]: -1, 7, -8 packed low nibble first: 0x7f, 0x08.
  onnx::TensorProto int4;
  int4.set_data_type(22);
  int4.add_dims(3);
  int4.set_raw_data(std::string("\x7f\x08", 2));
  std::string in = dir.file("int4.pb");
  {
    std::ofstream out(in, std::ios::binary);
    out << serialize(int4);
  }
  HostTensor t;
  ASSERT_TRUE(readTensorProto(in, t, error)) << error;
  EXPECT_EQ(t.elemType, KILN_INT4);
  ASSERT_EQ(t.bytes.size(), 3u);
  EXPECT_EQ(int8_t(t.bytes[0]), -1);
  EXPECT_EQ(int8_t(t.bytes[1]), 7);
  EXPECT_EQ(int8_t(t.bytes[2]), -8);
  // Written back packed.
  std::string path = dir.file("back.pb");
  ASSERT_TRUE(writeTensorProto(path, t, error)) << error;
  onnx::TensorProto proto;
  std::ifstream back(path, std::ios::binary);
  ASSERT_TRUE(proto.ParseFromIstream(&back));
  EXPECT_EQ(proto.raw_data(), std::string("\x7f\x08", 2));

  // UINT2 [5]: four per byte; a short buffer is an error.
  onnx::TensorProto uint2;
  uint2.set_data_type(25);
  uint2.add_dims(5);
  uint2.set_raw_data(std::string("\xe4", 1));
  std::string bad = dir.file("uint2.pb");
  {
    std::ofstream out(bad, std::ios::binary);
    out << serialize(uint2);
  }
  EXPECT_FALSE(readTensorProto(bad, t, error));
  EXPECT_NE(error.find("packed"), std::string::npos) << error;
}

TEST(ProtoIO, TypedFields) {
  test::TempDir dir;
  std::string error;
  HostTensor t;

  onnx::TensorProto floats;
  floats.set_data_type(onnx::TensorProto::FLOAT);
  floats.add_dims(3);
  for (float v : {1.0f, 2.5f, -3.0f})
    floats.add_float_data(v);
  ASSERT_TRUE(readTensorProto(dir.write("f.pb", serialize(floats)), t, error))
      << error;
  ASSERT_EQ(t.bytes.size(), 12u);
  float f[3];
  std::memcpy(f, t.bytes.data(), 12);
  EXPECT_EQ(f[0], 1.0f);
  EXPECT_EQ(f[1], 2.5f);
  EXPECT_EQ(f[2], -3.0f);

  onnx::TensorProto int8s;
  int8s.set_data_type(onnx::TensorProto::INT8);
  int8s.add_dims(2);
  int8s.add_int32_data(-5);
  int8s.add_int32_data(100);
  ASSERT_TRUE(fromTensorProto("i8.pb", int8s, t, error)) << error;
  EXPECT_EQ(t.elemType, KILN_INT8);
  ASSERT_EQ(t.bytes.size(), 2u);
  EXPECT_EQ(int8_t(t.bytes[0]), -5);
  EXPECT_EQ(int8_t(t.bytes[1]), 100);

  onnx::TensorProto bools;
  bools.set_data_type(onnx::TensorProto::BOOL);
  bools.add_dims(3);
  for (int v : {1, 0, 1})
    bools.add_int32_data(v);
  ASSERT_TRUE(fromTensorProto("b.pb", bools, t, error)) << error;
  EXPECT_EQ(t.bytes, (std::vector<uint8_t>{1, 0, 1}));

  onnx::TensorProto uint16s;
  uint16s.set_data_type(onnx::TensorProto::UINT16);
  uint16s.add_dims(1);
  uint16s.add_int32_data(65535);
  ASSERT_TRUE(fromTensorProto("u16.pb", uint16s, t, error)) << error;
  EXPECT_EQ(t.bytes, (std::vector<uint8_t>{0xff, 0xff}));

  onnx::TensorProto int64s;
  int64s.set_data_type(onnx::TensorProto::INT64);
  int64s.add_dims(1);
  int64s.add_int64_data(INT64_MIN);
  ASSERT_TRUE(fromTensorProto("i64.pb", int64s, t, error)) << error;
  int64_t i64;
  std::memcpy(&i64, t.bytes.data(), 8);
  EXPECT_EQ(i64, INT64_MIN);

  onnx::TensorProto uint32s;
  uint32s.set_data_type(onnx::TensorProto::UINT32);
  uint32s.add_dims(1);
  uint32s.add_uint64_data(4000000000u);
  ASSERT_TRUE(fromTensorProto("u32.pb", uint32s, t, error)) << error;
  uint32_t u32;
  std::memcpy(&u32, t.bytes.data(), 4);
  EXPECT_EQ(u32, 4000000000u);

  onnx::TensorProto doubles;
  doubles.set_data_type(onnx::TensorProto::DOUBLE);
  doubles.add_double_data(0.1); // A scalar: no dims.
  ASSERT_TRUE(fromTensorProto("d.pb", doubles, t, error)) << error;
  EXPECT_TRUE(t.shape.empty());
  double d;
  std::memcpy(&d, t.bytes.data(), 8);
  EXPECT_EQ(d, 0.1);
}

TEST(ProtoIO, Errors) {
  test::TempDir dir;
  std::string error;
  HostTensor t;

  EXPECT_FALSE(readTensorProto(dir.file("none.pb"), t, error));
  EXPECT_NE(error.find("none.pb: cannot open"), std::string::npos) << error;

  std::string garbage(12, '\xff');
  EXPECT_FALSE(readTensorProto(dir.write("bad.pb", garbage), t, error));
  EXPECT_NE(error.find("bad.pb: not a valid ONNX TensorProto"),
            std::string::npos)
      << error;

  EXPECT_FALSE(readTensorProto(dir.write("empty.pb", ""), t, error));
  EXPECT_NE(error.find("no data_type"), std::string::npos) << error;

  onnx::TensorProto shortRaw;
  shortRaw.set_name("x");
  shortRaw.set_data_type(onnx::TensorProto::FLOAT);
  shortRaw.add_dims(4);
  shortRaw.set_raw_data(std::string(12, '\0'));
  EXPECT_FALSE(fromTensorProto("s.pb", shortRaw, t, error));
  EXPECT_NE(error.find("s.pb: tensor 'x' (float [4]) has 12 bytes of "
                       "raw_data, expected 16"),
            std::string::npos)
      << error;

  onnx::TensorProto fewValues;
  fewValues.set_data_type(onnx::TensorProto::FLOAT);
  fewValues.add_dims(3);
  fewValues.add_float_data(1);
  EXPECT_FALSE(fromTensorProto("f.pb", fewValues, t, error));
  EXPECT_NE(error.find("1 values in float_data, expected 3"), std::string::npos)
      << error;

  onnx::TensorProto noData;
  noData.set_data_type(onnx::TensorProto::INT64);
  noData.add_dims(2);
  EXPECT_FALSE(fromTensorProto("n.pb", noData, t, error));
  EXPECT_NE(error.find("has no data"), std::string::npos) << error;

  onnx::TensorProto strings;
  strings.set_data_type(onnx::TensorProto::STRING);
  strings.add_dims(1);
  strings.add_string_data("hi");
  EXPECT_FALSE(fromTensorProto("str.pb", strings, t, error));
  EXPECT_NE(error.find("unsupported element type STRING"), std::string::npos)
      << error;

  onnx::TensorProto external;
  external.set_data_type(onnx::TensorProto::FLOAT);
  external.set_data_location(onnx::TensorProto::EXTERNAL);
  EXPECT_FALSE(fromTensorProto("e.pb", external, t, error));
  EXPECT_NE(error.find("external"), std::string::npos) << error;

  onnx::TensorProto negative;
  negative.set_data_type(onnx::TensorProto::FLOAT);
  negative.add_dims(-1);
  EXPECT_FALSE(fromTensorProto("neg.pb", negative, t, error));
  EXPECT_NE(error.find("invalid dims"), std::string::npos) << error;
}

} // namespace
