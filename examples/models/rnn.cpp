//===- rnn.cpp - Recurrent sequence classifiers with the builder DSL ------===//
//
// Three classifiers over a sequence x [T, N, 64] (time-major, as ONNX's
// recurrent ops take it), each reading the last hidden state:
//
//   rnn   Elman network (Elman 1990): h_t = tanh(W x_t + R h_{t-1} + b),
//         128 hidden units, then a linear layer.
//   lstm  two stacked LSTM layers (Hochreiter and Schmidhuber 1997; Graves
//         2013), 128 units each: the first layer's output sequence is the
//         second's input; linear layer on the second's last state.
//   gru   a bidirectional GRU (Cho et al. 2014), 96 units per direction;
//         the two last states are concatenated, then linear, softmax.
//
// One source, three tools (KILN_RECURRENT_KIND selects): kiln-model-rnn,
// kiln-model-lstm, kiln-model-gru, each PREFIX [--frames=T] [--batch=N]
// [--classes=K].
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

namespace {

constexpr int64_t kFeatures = 64;

/// Y_h [directions, N, H] as [N, directions * H].
Tensor lastStates(Graph &g, Tensor yH, const std::string &name) {
  Tensor batchMajor = g.transpose(yH, {1, 0, 2}, name + ".transpose");
  return batchMajor.reshape({0, -1});
}

void rnn(Graph &g, const examples::ModelSize &size) {
  auto x = g.input("sequence", {size.frames, size.batch, kFeatures});
  auto r = g.rnn(x, 128, {.activations = {"Tanh"}, .name = "rnn"});
  g.output("logits",
           g.dense(lastStates(g, r.yH, "rnn"), size.classes, {.name = "fc"}));
}

void lstm(Graph &g, const examples::ModelSize &size) {
  auto x = g.input("sequence", {size.frames, size.batch, kFeatures});
  auto l1 = g.lstm(x, 128, {.name = "lstm1"});
  // Y [T, 1, N, H] -> [T, N, H], the next layer's input.
  auto seq = l1.y.reshape({size.frames, size.batch, 128});
  auto l2 = g.lstm(seq, 128, {.name = "lstm2"});
  g.output("logits",
           g.dense(lastStates(g, l2.yH, "lstm2"), size.classes,
                   {.name = "fc"}));
}

void gru(Graph &g, const examples::ModelSize &size) {
  auto x = g.input("sequence", {size.frames, size.batch, kFeatures});
  auto r = g.gru(x, 96,
                 {.direction = "bidirectional", .linearBeforeReset = true,
                  .name = "gru"});
  auto logits =
      g.dense(lastStates(g, r.yH, "gru"), size.classes, {.name = "fc"});
  g.output("probs", logits.softmax());
}

} // namespace

int main(int argc, char **argv) {
  examples::ModelSize defaults{.batch = 2, .frames = 24, .classes = 10};
#if KILN_RECURRENT_KIND == 0
  return examples::writeModel(argc, argv, "rnn", 31, defaults, rnn);
#elif KILN_RECURRENT_KIND == 1
  return examples::writeModel(argc, argv, "lstm", 32, defaults, lstm);
#else
  return examples::writeModel(argc, argv, "gru", 33, defaults, gru);
#endif
}
