//===- HeaderWriter.h - The C header of a compiled library ------*- C++ -*-===//
#ifndef KILN_BACKENDS_HEADERWRITER_H
#define KILN_BACKENDS_HEADERWRITER_H

#include "backends/ModelInterface.h"

namespace kiln {

/// The C header declaring <prefix>_model() and describing the model's
/// tensors; self-contained (it carries the runtime ABI declarations).
std::string generateHeader(const ModelInterface &model);

} // namespace kiln

#endif // KILN_BACKENDS_HEADERWRITER_H
