//===- lenet5.cpp - LeNet-5 written with the builder DSL ------------------===//
//
// LeCun et al., "Gradient-based learning applied to document recognition"
// (1998), the layer table of Fig. 2:
//
//   layer  kind             maps  kernel  output
//   input  image               1          32x32
//   C1     convolution         6   5x5    28x28   tanh
//   S2     subsampling         6   2x2    14x14
//   C3     convolution        16   5x5    10x10   tanh
//   S4     subsampling        16   2x2     5x5
//   C5     convolution       120   5x5     1x1    tanh
//   F6     full connection    84                  tanh
//   output full connection    10
//
//   kiln-model-lenet5 PREFIX   writes PREFIX.mlirbc (nn, bytecode) and PREFIX.onnx
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

static void lenet5(kiln::Graph &g, const kiln::examples::ModelSize &size) {
  using kiln::Init;
  auto x = g.input("image", {size.batch, 1, size.image, size.image});
  auto h = g.conv2d(x, 6, {5, 5}, {.init = Init::Glorot, .name = "C1"}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2}, {.name = "S2"});
  h = g.conv2d(h, 16, {5, 5}, {.init = Init::Glorot, .name = "C3"}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2}, {.name = "S4"});
  h = g.conv2d(h, 120, {5, 5}, {.init = Init::Glorot, .name = "C5"}).tanh();
  h = g.dense(h.flatten(), 84, {.name = "F6"}).tanh();
  g.output("logits", g.dense(h, size.classes, {.name = "output"}));
}

int main(int argc, char **argv) {
  return kiln::examples::writeModel(argc, argv, "lenet5", /*seed=*/5,
                                     {.image = 32, .classes = 10}, lenet5);
}
