//===- Linking.cpp - Objects to libraries and executables -----------------===//
//
// Code generation happens in process; only the final link runs the system
// linker (clang as driver, lld), as every compiler does.
//
//===----------------------------------------------------------------------===//
#include "backends/cpu/Linking.h"

#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
namespace {

std::string writeFile(llvm::StringRef path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return "cannot write '" + path.str() + "': " + ec.message();
  os << bytes;
  os.close();
  if (os.has_error())
    return "cannot write '" + path.str() + "': " + os.error().message();
  return "";
}

/// Writes the object to a temporary file, runs clang with `args` around it,
/// removes the temporary.
std::string link(const LinkInputs &in, llvm::StringRef output,
                 llvm::ArrayRef<std::string> extraArgs) {
  llvm::SmallString<128> objectPath;
  if (auto ec = llvm::sys::fs::createTemporaryFile("kiln", "o", objectPath))
    return "cannot create a temporary file: " + ec.message();
  llvm::FileRemover remover(objectPath);
  if (std::string error = writeFile(objectPath, in.objectBytes()); !error.empty())
    return error;
  std::vector<std::string> args{in.clang, "-fuse-ld=lld", "-o", output.str(),
                                objectPath.str().str()};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  args.insert(args.end(), in.libraries.begin(), in.libraries.end());
  args.push_back("-lm");
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(in.clang, argRefs, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    std::string command;
    for (auto &a : args)
      command += (command.empty() ? "" : " ") + a;
    return "linking '" + output.str() + "' failed (" +
           (message.empty() ? "exit code " + std::to_string(rc) : message) +
           "): " + command;
  }
  return "";
}

} // namespace

std::string writeObject(const LinkInputs &in, llvm::StringRef path) {
  return writeFile(path, in.objectBytes());
}

std::string writeStaticLibrary(const LinkInputs &in, llvm::StringRef path) {
  auto runtime = llvm::MemoryBuffer::getFile(in.runtimeArchive);
  if (!runtime)
    return "cannot read the runtime '" + in.runtimeArchive +
           "': " + runtime.getError().message();
  llvm::Error error = llvm::Error::success();
  llvm::object::Archive archive((*runtime)->getMemBufferRef(), error);
  if (error)
    return "cannot read the runtime archive: " + llvm::toString(std::move(error));
  std::vector<llvm::NewArchiveMember> members;
  std::string objectName = llvm::sys::path::stem(path).str() + ".o";
  members.emplace_back(llvm::MemoryBufferRef(in.objectBytes(), objectName));
  for (const auto &child : archive.children(error)) {
    auto member = llvm::NewArchiveMember::getOldMember(child, /*Deterministic=*/true);
    if (!member)
      return "cannot read the runtime archive: " +
             llvm::toString(member.takeError());
    members.push_back(std::move(*member));
  }
  if (error)
    return "cannot read the runtime archive: " + llvm::toString(std::move(error));
  if (llvm::Error e = llvm::writeArchive(
          path, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true, /*Thin=*/false))
    return "cannot write '" + path.str() + "': " + llvm::toString(std::move(e));
  return "";
}

std::string writeSharedLibrary(const LinkInputs &in, llvm::StringRef path) {
  // The whole runtime goes in: users call its API, not only the model does.
  return link(in, path,
              {"-shared", "-Wl,--whole-archive", in.runtimeArchive,
               "-Wl,--no-whole-archive"});
}

std::string writeExecutable(const LinkInputs &in, llvm::StringRef path) {
  return link(in, path, {in.mainArchive, in.runtimeArchive});
}

} // namespace kiln
