//===- dcgan.cpp - The DCGAN generator with the builder DSL ---------------===//
//
// Radford, Metz and Chintala, "Unsupervised representation learning with
// deep convolutional generative adversarial networks" (2016), Fig. 1: a
// 100-d code z is projected to 4x4x1024 and upsampled by four fractionally
// strided convolutions (5x5 in the paper; 4x4/2 pad 1 here, as in the
// reference implementations, so that each exactly doubles the size), with
// batch norm and ReLU between them and tanh at the output (Section 3).
// Weights are drawn from N(0, 0.02) (Section 4).
//
//   z [N, 100, 1, 1] -> 4x4x1024 -> 8x8x512 -> 16x16x256 -> 32x32x128
//                    -> 64x64x3 image
//
//   kiln-model-dcgan PREFIX [--batch=N]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

static void dcgan(Graph &g, const examples::ModelSize &size) {
  const Init paperInit = Init::Normal(0.0, 0.02);
  auto z = g.input("z", {size.batch, 100, 1, 1});
  auto bnRelu = [&](Tensor x, const std::string &name) {
    return g
        .batchNorm(x, {.scale = Init::Normal(1.0, 0.02),
                       .mean = Init::Normal(0.0, 0.1),
                       .variance = Init::Uniform(0.5, 1.5),
                       .name = name})
        .relu();
  };
  ConvTransposeOptions project{.bias = false, .init = paperInit};
  project.name = "project";
  auto h = bnRelu(g.convTranspose(z, 1024, {4, 4}, project), "project.bn");
  int64_t maps = 1024;
  for (int i = 1; i <= 3; ++i) {
    maps /= 2;
    ConvTransposeOptions up{.stride = {2}, .pad = {1}, .bias = false,
                            .init = paperInit};
    up.name = "deconv" + std::to_string(i);
    h = bnRelu(g.convTranspose(h, maps, {4, 4}, up), up.name + ".bn");
  }
  ConvTransposeOptions toImage{.stride = {2}, .pad = {1}, .init = paperInit};
  toImage.name = "deconv4";
  g.output("image", g.convTranspose(h, 3, {4, 4}, toImage).tanh());
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "dcgan", /*seed=*/64, {.batch = 2},
                              dcgan);
}
