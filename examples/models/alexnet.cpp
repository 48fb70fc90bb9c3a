//===- alexnet.cpp - AlexNet written with the builder DSL -----------------===//
//
// Krizhevsky, Sutskever and Hinton, "ImageNet classification with deep
// convolutional neural networks" (2012), Fig. 2, with both GPUs' halves in
// one graph: the layers that connect only within a GPU are convolutions
// with 2 groups.
//
//   layer  kind                      maps   kernel/stride  groups  output
//   conv1  conv + ReLU + LRN           96   11x11 / 4              55x55
//   pool1  max pool                          3x3 / 2               27x27
//   conv2  conv + ReLU + LRN          256   5x5, pad 2        2    27x27
//   pool2  max pool                          3x3 / 2               13x13
//   conv3  conv + ReLU                384   3x3, pad 1             13x13
//   conv4  conv + ReLU                384   3x3, pad 1        2    13x13
//   conv5  conv + ReLU                256   3x3, pad 1        2    13x13
//   pool5  max pool                          3x3 / 2                6x6
//   fc6    full + ReLU + dropout     4096
//   fc7    full + ReLU + dropout     4096
//   fc8    full                      1000
//
// LRN: size 5, alpha 1e-4, beta 0.75, k 2 (Section 3.3).
//
//   kiln-model-alexnet PREFIX [--image=227] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

static void alexnet(Graph &g, const examples::ModelSize &size) {
  LrnOptions lrn{.alpha = 1e-4, .beta = 0.75, .bias = 2.0};
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = g.conv2d(x, 96, {11, 11}, {.stride = {4}, .name = "conv1"}).relu();
  h = g.lrn(h, 5, lrn);
  h = g.maxPool(h, {3, 3}, {2, 2}, {.name = "pool1"});
  h = g.conv2d(h, 256, {5, 5}, {.pad = {2}, .groups = 2, .name = "conv2"})
          .relu();
  h = g.lrn(h, 5, lrn);
  h = g.maxPool(h, {3, 3}, {2, 2}, {.name = "pool2"});
  h = g.conv2d(h, 384, {3, 3}, {.pad = {1}, .name = "conv3"}).relu();
  h = g.conv2d(h, 384, {3, 3}, {.pad = {1}, .groups = 2, .name = "conv4"})
          .relu();
  h = g.conv2d(h, 256, {3, 3}, {.pad = {1}, .groups = 2, .name = "conv5"})
          .relu();
  h = g.maxPool(h, {3, 3}, {2, 2}, {.name = "pool5"});
  h = g.dropout(g.dense(h.flatten(), 4096, {.name = "fc6"}).relu());
  h = g.dropout(g.dense(h, 4096, {.name = "fc7"}).relu());
  g.output("logits", g.dense(h, size.classes, {.name = "fc8"}));
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "alexnet", /*seed=*/12,
                              {.image = 227, .classes = 1000}, alexnet);
}
