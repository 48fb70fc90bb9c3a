//===- BuilderTest.cpp - Unit tests of kiln/Builder.h ---------------------===//
#include "kiln/Builder.h"

#include "compiler/ir/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using kiln::Graph;
using kiln::Init;
using kiln::Shape;

namespace {

struct Stats {
  double mean = 0, variance = 0;
};
Stats stats(const std::vector<float> &v) {
  Stats s;
  for (float x : v)
    s.mean += x;
  s.mean /= v.size();
  for (float x : v)
    s.variance += (x - s.mean) * (x - s.mean);
  s.variance /= v.size();
  return s;
}

void lenet5(Graph &g) {
  auto x = g.input("image", {1, 1, 32, 32});
  auto h = g.conv2d(x, 6, {5, 5}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2});
  h = g.conv2d(h, 16, {5, 5}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2});
  h = g.conv2d(h, 120, {5, 5}).tanh();
  h = g.dense(h.flatten(), 84).tanh();
  g.output("logits", g.dense(h, 10));
}

} // namespace

TEST(Builder, LeNetShapes) {
  Graph g("lenet5", 1);
  auto x = g.input("image", {1, 1, 32, 32});
  auto c1 = g.conv2d(x, 6, {5, 5});
  EXPECT_EQ(c1.shape(), (Shape{1, 6, 28, 28}));
  auto s2 = g.avgPool(c1.tanh(), {2, 2}, {2, 2});
  EXPECT_EQ(s2.shape(), (Shape{1, 6, 14, 14}));
  auto c3 = g.conv2d(s2, 16, {5, 5}, {.stride = {1, 1}, .pad = {2}});
  EXPECT_EQ(c3.shape(), (Shape{1, 16, 14, 14}));
  auto p = g.maxPool(c3, {3, 3}, {2, 2}, {.pad = {1}});
  EXPECT_EQ(p.shape(), (Shape{1, 16, 7, 7}));
  auto grouped = g.conv2d(p, 32, {3, 3}, {.stride = {2, 2}, .groups = 4});
  EXPECT_EQ(grouped.shape(), (Shape{1, 32, 3, 3}));
  // The filter of a grouped convolution is [out, in / groups, kernel].
  EXPECT_EQ(g.values()[g.nodes().back().inputs[1]].shape,
            (Shape{32, 4, 3, 3}));
  auto gap = g.globalAvgPool(grouped);
  EXPECT_EQ(gap.shape(), (Shape{1, 32, 1, 1}));
  auto f = gap.flatten();
  EXPECT_EQ(f.shape(), (Shape{1, 32}));
  auto d = g.dense(f, 10).softmax();
  EXPECT_EQ(d.shape(), (Shape{1, 10}));
  auto r = g.reshape(grouped, {0, -1});
  EXPECT_EQ(r.shape(), (Shape{1, 288}));
  auto cat = g.concat({grouped, grouped}, 1);
  EXPECT_EQ(cat.shape(), (Shape{1, 64, 3, 3}));
  auto bn = g.batchNorm(cat);
  EXPECT_EQ(bn.shape(), cat.shape());
  auto sum = bn + g.param("shift", {64, 1, 1}, Init::Zeros);
  EXPECT_EQ(sum.shape(), (Shape{1, 64, 3, 3}));
  EXPECT_TRUE(g.ok()) << g.error();
}

TEST(Builder, GlorotAndHeVariance) {
  Graph g("init", 42);
  // fan_in = 64 * 9 = 576, fan_out = 128 * 9 = 1152.
  auto glorot = g.param("glorot", {128, 64, 3, 3}, Init::Glorot);
  auto he = g.param("he", {128, 64, 3, 3}, Init::He);
  Stats gs = stats(g.value(glorot).data), hs = stats(g.value(he).data);
  // U(-l, l): variance l^2 / 3 = 2 / (fan_in + fan_out).
  double glorotVar = 2.0 / (576 + 1152), heVar = 2.0 / 576;
  EXPECT_NEAR(gs.mean, 0.0, 0.02 * std::sqrt(glorotVar) * 10);
  EXPECT_NEAR(gs.variance / glorotVar, 1.0, 0.03);
  EXPECT_NEAR(hs.mean, 0.0, 0.02 * std::sqrt(heVar) * 10);
  EXPECT_NEAR(hs.variance / heVar, 1.0, 0.03);
  double limit = std::sqrt(6.0 / (576 + 1152));
  for (float v : g.value(glorot).data)
    ASSERT_LE(std::fabs(v), limit + 1e-7);

  auto u = g.param("u", {10000}, Init::Uniform(2.0, 4.0));
  Stats us = stats(g.value(u).data);
  EXPECT_NEAR(us.mean, 3.0, 0.03);
  EXPECT_NEAR(us.variance, 4.0 / 12, 0.02);
  auto n = g.param("n", {10000}, Init::Normal(-1.0, 0.5));
  Stats ns = stats(g.value(n).data);
  EXPECT_NEAR(ns.mean, -1.0, 0.02);
  EXPECT_NEAR(ns.variance, 0.25, 0.02);
  auto c = g.param("c", {7}, Init::Constant(1.5));
  for (float v : g.value(c).data)
    EXPECT_EQ(v, 1.5f);
}

TEST(Builder, SeedIsDeterministic) {
  Graph a("a", 7), b("b", 7), c("c", 8);
  auto pa = a.param("w", {100}, Init::He);
  auto pb = b.param("w", {100}, Init::He);
  auto pc = c.param("w", {100}, Init::He);
  EXPECT_EQ(a.value(pa).data, b.value(pb).data);
  EXPECT_NE(a.value(pa).data, c.value(pc).data);
}

TEST(Builder, ShapeErrorNamesTheLayer) {
  Graph g("broken", 0);
  auto x = g.input("x", {1, 3, 8, 8});
  auto w = g.param("w", {4, 5, 3, 3}, Init::He); // 5 channels, not 3
  auto y = g.conv(x, w, {}, {.name = "convA"});
  EXPECT_FALSE(y.valid());
  EXPECT_FALSE(g.ok());
  EXPECT_NE(g.error().find("layer 'convA' (Conv)"), std::string::npos)
      << g.error();
  EXPECT_NE(g.error().find("3 channels"), std::string::npos) << g.error();
  // Later layers are ignored; the first error stays.
  auto z = g.relu(y);
  EXPECT_FALSE(z.valid());
  g.output("z", z);
  EXPECT_NE(g.error().find("convA"), std::string::npos);

  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  ASSERT_FALSE(static_cast<bool>(module));
  std::string message = llvm::toString(module.takeError());
  EXPECT_NE(message.find("convA"), std::string::npos) << message;
  llvm::Error e = g.exportOnnx("/nonexistent/never.onnx");
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("convA"), std::string::npos);
}

TEST(Builder, MoreShapeErrors) {
  {
    Graph g("dense", 0);
    auto x = g.input("x", {1, 3, 8, 8});
    g.dense(x, 10, {.name = "fc"});
    EXPECT_NE(g.error().find("layer 'fc' (Gemm)"), std::string::npos)
        << g.error();
  }
  {
    Graph g("add", 0);
    auto a = g.input("a", {2, 3});
    auto b = g.input("b", {4, 3});
    g.add(a, b, "sum");
    EXPECT_NE(g.error().find("layer 'sum' (Add): inputs: shapes "
                             "'tensor<2x3xf32>' and 'tensor<4x3xf32>' do not "
                             "broadcast"),
              std::string::npos)
        << g.error();
  }
  {
    Graph g("pool", 0);
    auto x = g.input("x", {1, 3, 2, 2});
    g.maxPool(x, {3, 3}, {}, {.name = "p"});
    EXPECT_NE(g.error().find("layer 'p' (MaxPool)"), std::string::npos)
        << g.error();
  }
  {
    Graph g("reshape", 0);
    auto x = g.input("x", {2, 3});
    x.reshape({4, 2});
    EXPECT_NE(g.error().find("reshaping 6 elements into 8"), std::string::npos)
        << g.error();
  }
}

TEST(Builder, BuildsTheImportersFunction) {
  Graph g("lenet5", 3);
  lenet5(g);
  ASSERT_TRUE(g.ok()) << g.error();
  mlir::MLIRContext context;
  auto module = g.build(context);
  ASSERT_TRUE(module);
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main_graph");
  ASSERT_TRUE(func);
  ASSERT_EQ(func.getNumArguments(), 1u);
  EXPECT_EQ(func.getArgAttrOfType<mlir::StringAttr>(0, "kiln.name").getValue(),
            "image");
  EXPECT_EQ(func.getArgAttrOfType<mlir::BoolAttr>(0, "bufferization.writable")
                .getValue(),
            false);
  EXPECT_EQ(
      func.getResultAttrOfType<mlir::StringAttr>(0, "kiln.name").getValue(),
      "logits");
  auto resultType =
      mlir::cast<mlir::RankedTensorType>(func.getResultTypes()[0]);
  EXPECT_EQ(Shape(resultType.getShape()), (Shape{1, 10}));
  int constants = 0, convs = 0, gemms = 0;
  func.walk([&](mlir::Operation *op) {
    constants += mlir::isa<kiln::nn::ConstantOp>(op);
    convs += mlir::isa<kiln::nn::ConvOp>(op);
    gemms += mlir::isa<kiln::nn::GemmOp>(op);
  });
  EXPECT_EQ(constants, 10);
  EXPECT_EQ(convs, 3);
  EXPECT_EQ(gemms, 2);
  // Ops are located by their layer names.
  bool named = false;
  func.walk([&](kiln::nn::ConvOp op) {
    if (auto loc = mlir::dyn_cast<mlir::NameLoc>(op.getLoc()))
      named |= loc.getName() == "conv1";
  });
  EXPECT_TRUE(named);
}

TEST(Builder, ExportsOnnx) {
  Graph g("lenet5", 3);
  lenet5(g);
  auto bytes = g.onnxBytes();
  ASSERT_TRUE(static_cast<bool>(bytes)) << llvm::toString(bytes.takeError());
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(*bytes));
  ASSERT_EQ(model.opset_import_size(), 1);
  EXPECT_EQ(model.opset_import(0).version(), Graph::kOnnxOpset);
  const auto &graph = model.graph();
  EXPECT_EQ(graph.input_size(), 1);
  EXPECT_EQ(graph.input(0).name(), "image");
  EXPECT_EQ(graph.output_size(), 1);
  EXPECT_EQ(graph.output(0).name(), "logits");
  EXPECT_EQ(graph.initializer_size(), 10);
  int convs = 0;
  for (const auto &node : graph.node())
    convs += node.op_type() == "Conv";
  EXPECT_EQ(convs, 3);
  // The weights are the builder's values.
  const auto &w = graph.initializer(0);
  EXPECT_EQ(w.name(), "conv1.weight");
  ASSERT_EQ(w.raw_data().size(), 6 * 25 * sizeof(float));
  float first;
  std::memcpy(&first, w.raw_data().data(), sizeof(float));
  EXPECT_EQ(first, g.values()[1].data[0]);
}

TEST(Builder, ResamplingAndRecurrentShapes) {
  Graph g("more", 1);
  auto x = g.input("x", {2, 4, 8, 8});
  auto up = g.convTranspose(x, 6, {4, 4}, {.stride = {2}, .pad = {1}});
  EXPECT_EQ(up.shape(), (Shape{2, 6, 16, 16}));
  // ConvTranspose's filter is [C, out / groups, kernel...].
  EXPECT_EQ(g.values()[g.nodes().back().inputs[1]].shape,
            (Shape{4, 6, 4, 4}));
  auto [pooled, indices] = g.maxPoolWithIndices(x, {2, 2});
  EXPECT_EQ(pooled.shape(), (Shape{2, 4, 4, 4}));
  EXPECT_EQ(indices.shape(), (Shape{2, 4, 4, 4}));
  EXPECT_TRUE(g.value(indices).isInt64);
  EXPECT_EQ(indices.name(), pooled.name() + ".indices");
  auto unpooled = g.maxUnpool(pooled, indices, {2, 2}, {}, {2, 4, 9, 9});
  EXPECT_EQ(unpooled.shape(), (Shape{2, 4, 9, 9}));
  auto resized = g.resize(x, {1, 1, 2, 0.5}, {.mode = "linear"});
  EXPECT_EQ(resized.shape(), (Shape{2, 4, 16, 4}));
  EXPECT_EQ(x.clip(0, 6).shape(), x.shape());
  EXPECT_EQ(g.transpose(x, {0, 2, 3, 1}).shape(), (Shape{2, 8, 8, 4}));
  EXPECT_EQ(g.slice(x, {1, 2}, {3, 8}, {1, 3}).shape(), (Shape{2, 2, 8, 6}));
  EXPECT_EQ(g.reduceMean(x, {2, 3}, false).shape(), (Shape{2, 4}));
  EXPECT_EQ(g.maxout(x.flatten(), 5, 3).shape(), (Shape{2, 5}));
  auto v = g.input("video", {1, 2, 4, 6, 6});
  EXPECT_EQ(g.conv3d(v, 3, {3, 3, 3}, {.pad = {1}}).shape(),
            (Shape{1, 3, 4, 6, 6}));
  EXPECT_EQ(g.maxPool(v, {2, 2, 2}).shape(), (Shape{1, 2, 2, 3, 3}));

  auto seq = g.input("seq", {5, 2, 3});
  auto lstm = g.lstm(seq, 7, {.direction = "bidirectional"});
  EXPECT_EQ(lstm.y.shape(), (Shape{5, 2, 2, 7}));
  EXPECT_EQ(lstm.yH.shape(), (Shape{2, 2, 7}));
  EXPECT_EQ(lstm.yC.shape(), (Shape{2, 2, 7}));
  // W [directions, 4 * hidden, features].
  EXPECT_EQ(g.values()[g.nodes().back().inputs[1]].shape, (Shape{2, 28, 3}));
  auto gru = g.gru(seq, 4);
  EXPECT_EQ(gru.yH.shape(), (Shape{1, 2, 4}));
  EXPECT_FALSE(gru.yC.valid());
  auto rnn = g.rnn(seq, 4, {.activations = {"Relu"}});
  EXPECT_EQ(rnn.y.shape(), (Shape{5, 1, 2, 4}));
  EXPECT_TRUE(g.ok()) << g.error();
}

TEST(Builder, LayerErrorsComeFromTheImporter) {
  {
    Graph g("deconv", 0);
    auto x = g.input("x", {1, 4, 8});
    g.convTranspose(x, 2, {3, 3}, {.name = "up"});
    EXPECT_NE(g.error().find("layer 'up' (ConvTranspose)"), std::string::npos)
        << g.error();
  }
  {
    Graph g("unpool", 0);
    auto x = g.input("x", {1, 4, 8, 8});
    auto [p, i] = g.maxPoolWithIndices(x, {2, 2});
    auto wrong = g.input("wrong", {1, 4, 3, 3});
    g.maxUnpool(wrong, i, {2, 2}, {}, {}, {.name = "unpool"});
    EXPECT_NE(g.error().find("layer 'unpool' (MaxUnpool)"), std::string::npos)
        << g.error();
  }
  {
    Graph g("lstm", 0);
    auto x = g.input("x", {5, 3});
    g.lstm(x, 4, {.name = "l"});
    EXPECT_NE(g.error().find("layer 'l' (LSTM): input [5, 3] must be [seq, "
                             "batch, features]"),
              std::string::npos)
        << g.error();
  }
  {
    Graph g("rnn", 0);
    auto x = g.input("x", {5, 2, 3});
    g.rnn(x, 4, {.activations = {"Nope"}, .name = "r"});
    EXPECT_NE(g.error().find("layer 'r' (RNN)"), std::string::npos)
        << g.error();
    EXPECT_NE(g.error().find("Nope"), std::string::npos) << g.error();
  }
  {
    Graph g("clip", 0);
    auto x = g.input("x", {2});
    g.clip(x, 1, 0, "c");
    EXPECT_NE(g.error().find("layer 'c' (Clip): low"), std::string::npos)
        << g.error();
  }
}

TEST(Builder, ExportsMultiResultNodes) {
  Graph g("multi", 3);
  auto x = g.input("x", {1, 2, 4, 4});
  auto [p, i] = g.maxPoolWithIndices(x, {2, 2}, {}, {.name = "pool"});
  g.output("restored", g.maxUnpool(p, i, {2, 2}));
  auto seq = g.input("seq", {3, 1, 2});
  auto l = g.lstm(seq, 2, {.name = "lstm"});
  g.output("h", l.yH);
  g.output("c", l.yC);
  auto bytes = g.onnxBytes();
  ASSERT_TRUE(static_cast<bool>(bytes)) << llvm::toString(bytes.takeError());
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(*bytes));
  bool sawPool = false, sawLstm = false;
  for (const auto &node : model.graph().node()) {
    if (node.op_type() == "MaxPool") {
      sawPool = true;
      ASSERT_EQ(node.output_size(), 2);
      EXPECT_EQ(node.output(0), "pool");
      EXPECT_EQ(node.output(1), "pool.indices");
    }
    if (node.op_type() == "LSTM") {
      sawLstm = true;
      ASSERT_EQ(node.output_size(), 3);
      EXPECT_EQ(node.output(2), "lstm.c");
      bool direction = false;
      for (const auto &a : node.attribute())
        direction |= a.name() == "direction" && a.s() == "forward";
      EXPECT_TRUE(direction);
    }
  }
  EXPECT_TRUE(sawPool);
  EXPECT_TRUE(sawLstm);
  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  auto func = (*module)->lookupSymbol<mlir::func::FuncOp>("main_graph");
  ASSERT_TRUE(func);
  EXPECT_EQ(func.getNumResults(), 3u);
}

TEST(Builder, AnyOnnxOp) {
  Graph g("any", 2);
  auto x = g.input("x", {2, 6});
  auto hs = g.op("HardSwish", {x});
  ASSERT_EQ(hs.size(), 1u);
  EXPECT_EQ(hs[0].shape(), (Shape{2, 6}));
  auto halves = g.op("Split", {x}, {{"axis", int64_t(1)}}, 2, "halves");
  ASSERT_EQ(halves.size(), 2u);
  EXPECT_EQ(halves[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(halves[1].shape(), (Shape{2, 3}));
  EXPECT_EQ(halves[1].name(), "halves.1");
  auto shape = g.constant("shape", {2}, std::vector<int64_t>{3, 4});
  EXPECT_EQ(g.op("Reshape", {x, shape})[0].shape(), (Shape{3, 4}));
  // An invalid tensor is an omitted optional input (Clip without a min).
  auto hi = g.constant("hi", {}, std::vector<float>{0.5f});
  auto clipped = g.op("Clip", {x, kiln::Tensor(), hi});
  ASSERT_EQ(clipped.size(), 1u);
  g.output("y", clipped[0]);
  g.output("second", halves[1]);
  EXPECT_TRUE(g.ok()) << g.error();
  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  EXPECT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());

  // A constant whose values do not fill its shape is an error, not an abort.
  {
    Graph h("short", 0);
    h.constant("k", {2, 2}, std::vector<int64_t>{1, 2, 3});
    EXPECT_NE(h.error().find("layer 'k' (constant): 3 values for shape [2, 2]"),
              std::string::npos)
        << h.error();
  }

  g.op("NoSuchOp", {x}, {}, 1, "bad");
  EXPECT_NE(g.error().find("layer 'bad' (NoSuchOp): unsupported operator"),
            std::string::npos)
      << g.error();
}
