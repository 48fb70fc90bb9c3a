//===- ModelMain.h - main() of the kiln-model-NAME example tools -*- C++ -*-===//
//
// Every example network is one function that adds layers to a Graph for a
// given size; this shared main writes PREFIX.mlirbc (the nn module, as MLIR bytecode) and
// PREFIX.onnx from it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_EXAMPLES_MODELS_MODELMAIN_H
#define KILN_EXAMPLES_MODELS_MODELMAIN_H

#include "kiln/Builder.h"

namespace kiln::examples {

/// The sizes an example network is built at. Each example gives its
/// paper's values as defaults; the command line may change them (tests use
/// smaller images to keep their running time down).
struct ModelSize {
  int64_t batch = 1;
  int64_t image = 0;   ///< Height and width of image inputs.
  int64_t frames = 0;  ///< Sequence length, or video frames.
  int64_t classes = 0; ///< Outputs of the classifier.
};

/// Handles `TOOL PREFIX [--batch=N] [--image=N] [--frames=N] [--classes=N]`:
/// builds `define` into a Graph named `name` with `seed` at the sizes
/// (`defaults` overridden by the options), writes PREFIX.mlirbc and
/// PREFIX.onnx. Returns the exit code.
int writeModel(int argc, char **argv, const char *name, unsigned seed,
               ModelSize defaults, void (*define)(Graph &, const ModelSize &));

} // namespace kiln::examples

#endif // KILN_EXAMPLES_MODELS_MODELMAIN_H
