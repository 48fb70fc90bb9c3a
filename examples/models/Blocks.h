//===- Blocks.h - Building blocks shared by the example networks -*- C++ -*-===//
//
// Units that several papers repeat: VGG's convolution blocks, convolution +
// batch norm (+ ReLU), and the residual blocks of ResNet and ResNeXt.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_EXAMPLES_MODELS_BLOCKS_H
#define KILN_EXAMPLES_MODELS_BLOCKS_H

#include "kiln/Builder.h"

#include <string>

namespace kiln::examples {

/// VGG's block `index` (Simonyan and Zisserman 2015): `convs` 3x3
/// convolutions (pad 1) with ReLU, named convINDEX_1, ..., then a 2x2/2 max
/// pool named poolINDEX.
Tensor vggBlock(Graph &g, Tensor x, int64_t convs, int64_t maps, int index);

/// A square k x k convolution without bias (NAME.conv) and batch norm
/// (NAME.bn) with non-trivial statistics, so that the comparison exercises
/// the normalization.
Tensor convBn(Graph &g, Tensor x, int64_t out, int64_t k, int64_t stride,
              int64_t pad, const std::string &name, int64_t groups = 1);
inline Tensor convBnRelu(Graph &g, Tensor x, int64_t out, int64_t k,
                         int64_t stride, int64_t pad, const std::string &name,
                         int64_t groups = 1) {
  return convBn(g, x, out, k, stride, pad, name, groups).relu();
}

/// ResNet's basic block (two 3x3 convolutions; He et al. 2016, Table 1).
Tensor basicBlock(Graph &g, Tensor x, int64_t planes, int64_t stride,
                  const std::string &name);
/// The bottleneck block: 1x1 reduce to `width`, 3x3 (grouped: ResNeXt),
/// 1x1 expand to `out`; a projection shortcut when the shape changes.
Tensor bottleneck(Graph &g, Tensor x, int64_t width, int64_t out,
                  int64_t stride, int64_t groups, const std::string &name);

} // namespace kiln::examples

#endif // KILN_EXAMPLES_MODELS_BLOCKS_H
