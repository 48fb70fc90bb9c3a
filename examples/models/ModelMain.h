//===- ModelMain.h - main() of the kiln-model-NAME example tools -*- C++ -*-===//
//
// Every example network is one function that adds layers to a Graph; this
// shared main writes PREFIX.mlir (the nn module) and PREFIX.onnx from it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_EXAMPLES_MODELS_MODELMAIN_H
#define KILN_EXAMPLES_MODELS_MODELMAIN_H

#include "kiln/Builder.h"

namespace kiln::examples {

/// Handles `TOOL PREFIX`: builds `define` into a Graph named `name` with
/// `seed`, writes PREFIX.mlir and PREFIX.onnx. Returns the exit code.
int writeModel(int argc, char **argv, const char *name, unsigned seed,
               void (*define)(Graph &));

} // namespace kiln::examples

#endif // KILN_EXAMPLES_MODELS_MODELMAIN_H
