//===- Linking.h - Objects to libraries and executables ---------*- C++ -*-===//
#ifndef KILN_BACKENDS_CPU_LINKING_H
#define KILN_BACKENDS_CPU_LINKING_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace kiln {

struct LinkInputs {
  /// The model's object code (written in place by emitObject: it holds
  /// the weights, which are not copied again).
  llvm::SmallVector<char, 0> object;
  llvm::StringRef objectBytes() const { return {object.data(), object.size()}; }
  /// libkiln_runtime.a (and, for executables, libkiln_main.a).
  std::string runtimeArchive, mainArchive;
  /// The clang driver used as the linker front end (with lld).
  std::string clang;
  /// Further linker arguments (the OpenMP runtime of threaded code).
  std::vector<std::string> libraries;
};

/// Each returns an error message, empty on success.
std::string writeObject(const LinkInputs &in, llvm::StringRef path);
/// An archive of the model object and the runtime's objects.
std::string writeStaticLibrary(const LinkInputs &in, llvm::StringRef path);
/// A shared library exporting the model and the runtime's C API.
std::string writeSharedLibrary(const LinkInputs &in, llvm::StringRef path);
/// A standalone executable (runtime/lib/standalone_main.c is its main).
std::string writeExecutable(const LinkInputs &in, llvm::StringRef path);

} // namespace kiln

#endif // KILN_BACKENDS_CPU_LINKING_H
