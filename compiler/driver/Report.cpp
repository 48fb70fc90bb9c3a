//===- Report.cpp - What kilnc made of each layer (--report) --------------===//
#include "compiler/driver/Report.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

using namespace mlir;

namespace kiln {

FailureOr<CompileReport> collectReport(ModuleOp module, llvm::StringRef entry) {
  auto layers = module->getAttrOfType<ArrayAttr>("kiln.layers");
  if (!layers)
    return emitError(module.getLoc())
           << "--report describes the generated kernels: it needs code "
              "generation (a library, object or executable, or --emit=ll)";
  CompileReport report;
  for (Attribute attr : layers) {
    auto layer = cast<DictionaryAttr>(attr);
    LayerRecord record;
    auto text = [&](StringRef key) {
      auto value = layer.getAs<StringAttr>(key);
      return value ? value.str() : std::string();
    };
    record.node = text("node");
    record.op = text("op");
    record.algorithm = text("algorithm");
    record.layout = text("layout");
    if (auto flops = layer.getAs<IntegerAttr>("flops"))
      record.flops = flops.getInt();
    if (auto fused = layer.getAs<ArrayAttr>("fused"))
      for (Attribute name : fused)
        record.fused.push_back(cast<StringAttr>(name).str());
    report.flops += record.flops;
    report.layers.push_back(std::move(record));
  }
  if (auto reorders = module->getAttrOfType<IntegerAttr>("kiln.reorders"))
    report.reorders = reorders.getInt();
  if (Operation *graph = SymbolTable::lookupSymbolIn(module, entry)) {
    if (auto size = graph->getAttrOfType<IntegerAttr>("kiln.workspace_size"))
      report.workspaceBytes = size.getInt();
    if (auto size = graph->getAttrOfType<IntegerAttr>("kiln.buffers_size"))
      report.temporaryBytes = size.getInt();
  }
  module.walk([&](LLVM::GlobalOp global) {
    auto data = dyn_cast_or_null<ElementsAttr>(global.getValueOrNull());
    if (!global.getConstant() || !data)
      return;
    Type element = data.getElementType();
    if (element.isIntOrFloat())
      report.weightBytes +=
          data.getNumElements() * ((element.getIntOrFloatBitWidth() + 7) / 8);
  });
  return report;
}

namespace {

std::string megabytes(int64_t bytes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.2f MB", bytes / 1e6);
  return text;
}

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "-" : text;
}

} // namespace

void printReportTable(const CompileReport &report, llvm::raw_ostream &os) {
  const char *headings[] = {"node", "op", "algorithm", "layout", "GFLOP",
                            "fused"};
  std::vector<std::vector<std::string>> rows;
  for (const LayerRecord &layer : report.layers) {
    std::string gflop;
    llvm::raw_string_ostream(gflop) << llvm::format("%.4f", layer.flops / 1e9);
    rows.push_back({layer.node.empty() ? "-" : layer.node, layer.op,
                    layer.algorithm, layer.layout, gflop,
                    joined(layer.fused)});
  }
  size_t widths[6];
  for (size_t c = 0; c < 6; ++c) {
    widths[c] = strlen(headings[c]);
    for (const auto &row : rows)
      widths[c] = std::max(widths[c], row[c].size());
  }
  auto printRow = [&](llvm::ArrayRef<std::string> cells) {
    for (size_t c = 0; c < 6; ++c) {
      // GFLOP right-aligned, the rest left-aligned; no trailing blanks.
      if (c == 4)
        os << std::string(widths[c] - cells[c].size(), ' ') << cells[c];
      else
        os << cells[c]
           << (c == 5 ? "" : std::string(widths[c] - cells[c].size(), ' '));
      os << (c == 5 ? "\n" : "  ");
    }
  };
  printRow({"node", "op", "algorithm", "layout", "GFLOP", "fused"});
  for (const auto &row : rows)
    printRow(row);
  os << "\n"
     << "layers: " << report.layers.size()
     << llvm::format(", %.3f GFLOP", report.flops / 1e9) << "\n"
     << "weights: " << megabytes(report.weightBytes) << "\n"
     << "workspace: " << megabytes(report.workspaceBytes) << " (temporaries "
     << megabytes(report.temporaryBytes);
  if (report.temporaryBytes > 0)
    os << llvm::format(", %.0f%%", 100.0 * report.workspaceBytes /
                                       report.temporaryBytes);
  os << ")\n"
     << "reorders: " << report.reorders << "\n";
}

void printReportJson(const CompileReport &report, llvm::raw_ostream &os) {
  llvm::json::Array layers;
  for (const LayerRecord &layer : report.layers) {
    llvm::json::Array fused;
    for (const std::string &name : layer.fused)
      fused.push_back(name);
    layers.push_back(llvm::json::Object{{"node", layer.node},
                                        {"op", layer.op},
                                        {"algorithm", layer.algorithm},
                                        {"layout", layer.layout},
                                        {"flops", layer.flops},
                                        {"fused", std::move(fused)}});
  }
  llvm::json::Object totals{{"flops", report.flops},
                            {"weight_bytes", report.weightBytes},
                            {"workspace_bytes", report.workspaceBytes},
                            {"temporary_bytes", report.temporaryBytes},
                            {"reorders", report.reorders}};
  os << llvm::formatv(
            "{0:2}", llvm::json::Value(llvm::json::Object{
                         {"layers", std::move(layers)},
                         {"totals", std::move(totals)}}))
     << "\n";
}

} // namespace kiln
