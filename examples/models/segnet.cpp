//===- segnet.cpp - A SegNet encoder-decoder with the builder DSL ---------===//
//
// Badrinarayanan, Kendall and Cipolla, "SegNet: a deep convolutional
// encoder-decoder architecture for image segmentation" (2017), Fig. 2, with
// four stages instead of five: each encoder stage is conv-BN-ReLU blocks and
// a 2x2/2 max pool that also keeps where each maximum came from; the decoder
// mirrors it, upsampling with max-unpooling at those indices (no learned
// upsampling) and then convolving, the last convolution of each decoder
// stage narrowing to the width of the encoder stage above. A 1x1
// convolution and a softmax over the classes give per-pixel probabilities.
//
//   stage  maps  convs     decoder stage: unpool, convs, last to
//   1        32      2     32
//   2        64      2     32
//   3       128      3     64
//   4       128      3     128
//
//   kiln-model-segnet PREFIX [--image=128] [--classes=12]
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;
using namespace kiln::examples;

static void segnet(Graph &g, const ModelSize &size) {
  struct Stage {
    int64_t maps, convs;
  };
  const Stage encoder[] = {{32, 2}, {64, 2}, {128, 3}, {128, 3}};
  auto h = g.input("image", {size.batch, 3, size.image, size.image});
  std::vector<Tensor> indices;
  std::vector<Shape> shapes;
  for (int s = 0; s < 4; ++s) {
    std::string n = "encoder" + std::to_string(s + 1);
    for (int64_t i = 1; i <= encoder[s].convs; ++i)
      h = convBnRelu(g, h, encoder[s].maps, 3, 1, 1, n + "." + std::to_string(i));
    shapes.push_back(h.shape());
    auto [pooled, where] =
        g.maxPoolWithIndices(h, {2, 2}, {2, 2}, {.name = n + ".pool"});
    h = pooled;
    indices.push_back(where);
  }
  for (int s = 3; s >= 0; --s) {
    std::string n = "decoder" + std::to_string(s + 1);
    h = g.maxUnpool(h, indices[s], {2, 2}, {2, 2}, shapes[s],
                    {.name = n + ".unpool"});
    for (int64_t i = 1; i <= encoder[s].convs; ++i) {
      bool last = i == encoder[s].convs;
      int64_t maps = last && s > 0 ? encoder[s - 1].maps : encoder[s].maps;
      h = convBnRelu(g, h, maps, 3, 1, 1, n + "." + std::to_string(i));
    }
  }
  auto scores = g.conv2d(h, size.classes, {1, 1}, {.name = "classifier"});
  g.output("probs", scores.softmax(1));
}

int main(int argc, char **argv) {
  return writeModel(argc, argv, "segnet", /*seed=*/9,
                    {.image = 128, .classes = 12}, segnet);
}
