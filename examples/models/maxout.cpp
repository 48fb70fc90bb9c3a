//===- maxout.cpp - A maxout MLP written with the builder DSL -------------===//
//
// Goodfellow et al., "Maxout networks" (2013), Section 5.1 (permutation-
// invariant MNIST): two maxout layers of 240 units with 5 pieces each, then
// a softmax layer.
//
//   input 784 | maxout 240x5 | maxout 240x5 | softmax 10
//
//   kiln-model-maxout PREFIX [--batch=N] [--classes=10]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

static void maxout(Graph &g, const examples::ModelSize &size) {
  auto x = g.input("pixels", {size.batch, 784});
  auto h = g.maxout(x, 240, 5, {.name = "h1"});
  h = g.maxout(g.dropout(h), 240, 5, {.name = "h2"});
  g.output("probs", g.dense(h, size.classes, {.name = "out"}).softmax());
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "maxout", /*seed=*/5,
                              {.batch = 4, .classes = 10}, maxout);
}
