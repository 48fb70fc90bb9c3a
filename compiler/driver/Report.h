//===- Report.h - What kilnc made of each layer (--report) ----------------===//
//
// The report describes the compiled graph: per compute layer (convolution,
// matrix product) the ONNX node, the op, the algorithm and layout its
// kernel uses, its GFLOP and the nodes fused into it; and the totals:
// FLOPs, weight bytes in the code, the workspace against the sum of the
// temporaries it holds, and the layout reorders left in the graph. It is
// read from what the pipeline recorded (RecordLayers, PlanWorkspace).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_REPORT_H
#define KILN_COMPILER_DRIVER_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace kiln {

struct LayerRecord {
  std::string node, op, algorithm, layout;
  int64_t flops = 0;
  std::vector<std::string> fused;
};

struct CompileReport {
  std::vector<LayerRecord> layers;
  int64_t flops = 0;
  int64_t weightBytes = 0;
  int64_t workspaceBytes = 0;
  /// The temporaries' sizes summed, as if none shared memory.
  int64_t temporaryBytes = 0;
  int64_t reorders = 0;
};

/// Reads the report of the lowered `module` (whose graph function is
/// `entry`); fails with a diagnostic when the pipeline recorded none.
mlir::FailureOr<CompileReport> collectReport(mlir::ModuleOp module,
                                             llvm::StringRef entry);

void printReportTable(const CompileReport &report, llvm::raw_ostream &os);
void printReportJson(const CompileReport &report, llvm::raw_ostream &os);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_REPORT_H
