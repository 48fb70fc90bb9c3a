//===- vgg16.cpp - VGG-16 written with the builder DSL --------------------===//
//
// Simonyan and Zisserman, "Very deep convolutional networks for large-scale
// image recognition" (2015), Table 1, configuration D: 3x3 convolutions
// (stride 1, pad 1) with ReLU, 2x2/2 max pools, three fully connected layers.
//
//   block  convolutions      output (224 input)
//   1      2 x conv3-64      112x112
//   2      2 x conv3-128      56x56
//   3      3 x conv3-256      28x28
//   4      3 x conv3-512      14x14
//   5      3 x conv3-512       7x7
//   FC-4096, FC-4096, FC-1000 (ReLU and dropout after the first two)
//
//   kiln-model-vgg16 PREFIX [--image=224] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;

static void vgg16(Graph &g, const examples::ModelSize &size) {
  struct Block {
    int64_t convs, maps;
  };
  const Block configD[] = {{2, 64}, {2, 128}, {3, 256}, {3, 512}, {3, 512}};
  auto h = g.input("image", {size.batch, 3, size.image, size.image});
  int block = 0;
  for (const Block &b : configD)
    h = examples::vggBlock(g, h, b.convs, b.maps, ++block);
  h = g.dropout(g.dense(h.flatten(), 4096, {.name = "fc6"}).relu());
  h = g.dropout(g.dense(h, 4096, {.name = "fc7"}).relu());
  g.output("logits", g.dense(h, size.classes, {.name = "fc8"}));
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "vgg16", /*seed=*/16,
                              {.image = 224, .classes = 1000}, vgg16);
}
