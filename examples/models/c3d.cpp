//===- c3d.cpp - C3D written with the builder DSL -------------------------===//
//
// Tran et al., "Learning spatiotemporal features with 3D convolutional
// networks" (2015), Fig. 3: 3x3x3 convolutions (stride 1, pad 1, ReLU) over
// [N, 3, frames, H, W] clips; pool1 is 1x2x2 (keeps time), the others
// 2x2x2; two 4096-unit fully connected layers; 487 classes (Sports-1M).
//
//   conv1a 64 | pool1 | conv2a 128 | pool2 | conv3a,b 256 | pool3 |
//   conv4a,b 512 | pool4 | conv5a,b 512 | pool5 | fc6 4096 | fc7 4096 | fc8
//
// pool5 pads H and W by one at the end (0, 1, 1), as the released model does
// for 112x112 inputs.
//
//   kiln-model-c3d PREFIX [--frames=16] [--image=112] [--classes=487]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

static void c3d(Graph &g, const examples::ModelSize &size) {
  auto h = g.input("clip", {size.batch, 3, size.frames, size.image, size.image});
  auto conv = [&](Tensor x, int64_t maps, const std::string &name) {
    return g.conv3d(x, maps, {3, 3, 3}, {.pad = {1}, .name = name}).relu();
  };
  h = conv(h, 64, "conv1a");
  h = g.maxPool(h, {1, 2, 2}, {1, 2, 2}, {.name = "pool1"});
  h = conv(h, 128, "conv2a");
  h = g.maxPool(h, {2, 2, 2}, {2, 2, 2}, {.name = "pool2"});
  h = conv(conv(h, 256, "conv3a"), 256, "conv3b");
  h = g.maxPool(h, {2, 2, 2}, {2, 2, 2}, {.name = "pool3"});
  h = conv(conv(h, 512, "conv4a"), 512, "conv4b");
  h = g.maxPool(h, {2, 2, 2}, {2, 2, 2}, {.name = "pool4"});
  h = conv(conv(h, 512, "conv5a"), 512, "conv5b");
  h = g.maxPool(h, {2, 2, 2}, {2, 2, 2},
                {.pad = {0, 0, 0, 0, 1, 1}, .name = "pool5"});
  h = g.dropout(g.dense(h.flatten(), 4096, {.name = "fc6"}).relu());
  h = g.dropout(g.dense(h, 4096, {.name = "fc7"}).relu());
  g.output("logits", g.dense(h, size.classes, {.name = "fc8"}));
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "c3d", /*seed=*/3,
                              {.image = 112, .frames = 16, .classes = 487},
                              c3d);
}
