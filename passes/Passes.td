//===- Passes.td - kiln passes ---------------------------------*- tablegen -*-===//
#ifndef KILN_PASSES
#define KILN_PASSES

include "mlir/Pass/PassBase.td"

def LowerNNToLinalg : Pass<"kiln-lower-nn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower nn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every nn op becomes structured ops on signless tensors (unsigned nn
    element types become signless integers of the same width; the patterns
    pick unsigned arithmetic for them). Function signatures are converted too.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    // nn.max_unpool scatters in an scf.for.
    "mlir::scf::SCFDialect"
  ];
}

def FoldBatchNorm : Pass<"kiln-fold-batch-norm", "mlir::ModuleOp"> {
  let summary = "Fold inference batch normalization into the preceding convolution";
  let description = [{
    batch_norm(conv(x, W, b)) with constant W, b and batch-norm parameters,
    the convolution having no other use, becomes conv(x, W', b') with
    W'[f] = W[f] * s[f] and b'[f] = (b[f] - mean[f]) * s[f] + bias[f],
    s = scale / sqrt(variance + epsilon), computed at compile time.
  }];
}

def DistributeToThreads : Pass<"kiln-distribute-to-threads", "mlir::ModuleOp"> {
  let summary = "Split large linalg ops into scf.forall chunks, one per thread";
  let description = [{
    Each linalg op of the graph function with at least `min-iterations`
    loop iterations is tiled along its first parallel loop whose extent is
    at least `threads` into an scf.forall of `threads` chunks (the output
    channels of a convolution, the rows of a matrix product). After
    bufferization the foralls become OpenMP parallel loops.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"2",
           "Number of chunks (threads) per op">,
    Option<"minIterations", "min-iterations", "int64_t", /*default=*/"65536",
           "Ops with fewer loop iterations stay serial">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

def ConvTransposeToConv : Pass<"kiln-conv-transpose-to-conv", "mlir::ModuleOp"> {
  let summary = "Rewrite transposed convolutions as convolutions over phases";
  let description = [{
    A transposed convolution with stride s is, per output phase, a stride-1
    convolution of its input with a subset of its taps, reversed. With the
    phases stacked as output channels it becomes one nn.conv (the filter
    rearranged at compile time, the input padded through the conv's pads)
    followed by a reshape, a transpose that interleaves the phases and a
    slice to the output window. The convolution then takes the target's
    convolution kernel. Applies to constant float filters
    whose input needs no cropping.
  }];
}

def DistinctResults : Pass<"kiln-distinct-results", "mlir::ModuleOp"> {
  let summary = "Give every returned tensor of a function its own value";
  let description = [{
    A graph that returns one value twice (outputs Y and Identity(Y)) would
    have two out-parameters bound to one buffer after bufferization; each
    repeated result becomes a linalg.copy so that every output buffer is
    written.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def PlanWorkspace : Pass<"kiln-plan-workspace", "mlir::ModuleOp"> {
  let summary = "Place every temporary buffer of the entry function in one workspace";
  let description = [{
    After bufferization, replaces each statically shaped memref.alloc in the
    function named by `entry` with a view into a workspace argument appended
    to the function, at an offset chosen by liveness (buffers whose lifetimes
    do not overlap share bytes). Deallocations of those buffers are erased.
    The workspace size is recorded in the function attribute
    `kiln.workspace_size`, so that nothing allocates per inference.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main_graph\"",
           "The function whose buffers are planned">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of every buffer">
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def CopiesToLinalg : Pass<"kiln-copies-to-linalg", "mlir::ModuleOp"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    memref.copy between non-contiguous views lowers to a call into MLIR's
    C runner library, which compiled models must not depend on; as
    linalg.copy it becomes plain loops like every other op.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FlattenConstantGlobals
    : Pass<"kiln-flatten-constant-globals", "mlir::ModuleOp"> {
  let summary = "Store constant multi-dimensional globals flat";
  let description = [{
    Rewrites each constant memref.global of rank > 1 (the weights) to a
    one-dimensional global and every memref.get_global of it to a
    get_global followed by memref.expand_shape to the original shape. LLVM
    builds a nested-array constant one innermost row at a time; a flat one
    is a single array, which makes code generation of large models several
    times faster and lighter.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def OutlineKernels : Pass<"kiln-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest into its own function";
  let description = [{
    After bufferization, moves every top-level op of a function that has
    regions or is a linalg op (the loop nests of the graph) into a private
    function marked noinline (`passthrough`), called in its place. LLVM's per-function
    analyses grow faster than linearly with the number of loops in a
    function; many small functions compile several times faster than one
    long one. Scalar constants are cloned into the new functions; other
    used values become arguments, which must have static shapes and strides
    (the bare-pointer calling convention); ops that use others stay.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def FuseElementwise : Pass<"kiln-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops; keep reshapes out of reductions";
  let description = [{
    MLIR's elementwise fusion (producer into its single consumer, reshapes
    propagated by expansion, constant folding), except that a reshape is
    never folded into an op with reduction loops: expanding a matmul's
    output dimensions shortens its contiguous inner loop (a matmul followed
    by a reshape to [N, units, 5] would loop 5 wide instead of 1200).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def CpuGemmKernels : Pass<"kiln-cpu-gemm-kernels", "mlir::ModuleOp"> {
  let summary = "Lower f32 matrix products with constant weights to register-tiled vector kernels";
  let description = [{
    Each linalg.generic computing C[M, N] += A[M, K] * B[K, N] (either
    operand possibly transposed) in f32 with a constant B becomes loops of
    vector FMAs over tiles of `rows` x W outputs held in registers, W being
    one or two vectors of `vector-width` lanes. B is packed at compile time
    into panels [ceil(N / W)][K][W]; a fill of the init becomes the
    accumulators' initial value; an elementwise consumer of the product is
    applied to each tile before it is stored. With `threads` > 1 and at
    least `min-parallel-work` multiply-adds the panels are an scf.forall.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of the target's vector registers">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "With more than one, the panels are distributed (scf.forall)">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"1048576",
           "Products with fewer multiply-adds stay serial">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def CpuReductionKernels
    : Pass<"kiln-cpu-reduction-kernels", "mlir::ModuleOp"> {
  let summary = "Vectorize f32 reductions along their contiguous innermost axis";
  let description = [{
    Each f32 linalg.generic that reduces its innermost loop, which every
    input reads contiguously (or not at all), into an output over the other
    loops, with a body `out = combine(out, f(inputs))` (combine being addf,
    mulf, maximumf or minimumf and f elementwise): softmax's max and sum,
    reduce ops, the mean and variance of a normalization. For each output
    element, a loop over `vector-width` lanes of the reduced axis keeps a
    vector accumulator (f evaluated on vectors), a masked last step covers
    the rest, and one horizontal reduction ends it. With `threads` > 1 and
    at least `min-parallel-work` elements read the output elements are an
    scf.forall.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of the target's vector registers">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "With more than one, the output elements are distributed">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"65536",
           "Reductions reading fewer elements stay serial">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def CpuSelectConvAlgorithms
    : Pass<"kiln-cpu-select-conv-algorithms", "mlir::ModuleOp"> {
  let summary = "Choose and record the algorithm of every convolution";
  let description = [{
    Sets `kiln.conv_algorithm` (direct, winograd, im2col; passes/ConvAlgorithm.h)
    on each linalg convolution with a constant filter: by the CPU's cost
    model with `algorithm=auto`, else the forced algorithm wherever the
    layer allows it; `overrides` sets layers by ONNX node name
    (NODE=ALGORITHM) and fails, naming the node, when the node has no
    convolution or its convolution cannot use the algorithm.
  }];
  let options = [
    Option<"algorithm", "algorithm", "std::string", /*default=*/"\"auto\"",
           "auto, direct, im2col or winograd">,
    ListOption<"overrides", "overrides", "std::string",
               "NODE=ALGORITHM for single convolutions">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of the target's vector registers">
  ];
}

def RecordLayers : Pass<"kiln-record-layers", "mlir::ModuleOp"> {
  let summary = "Describe each convolution and matrix product for kilnc --report";
  let description = [{
    Records, in graph order, each convolution and matrix product as the
    kernels will compute it (ONNX node name, op, algorithm, layout, FLOPs,
    the names of the nodes fused into it) in the module attribute
    `kiln.layers`, and the number of layout reorders of non-constant
    tensors in `kiln.reorders`.
  }];
}

def CpuWinogradConvolutions
    : Pass<"kiln-cpu-winograd-convolutions", "mlir::ModuleOp"> {
  let summary = "Compute blocked 3x3 convolutions recorded as winograd by F(m x m, 3 x 3)";
  let description = [{
    Each `kiln.conv_nchwc` generic with unit strides and dilations, 3x3
    taps, one block group, `vector-width` input and output lanes and
    `kiln.conv_algorithm = "winograd"` becomes Winograd's algorithm
    (passes/CpuWinogradConvolutions.cpp): the filter transformed at compile
    time, vector kernels for the input transform and for the output
    transform (with the init and the elementwise consumer fused), and
    between them one batched linalg.generic matrix product for
    kiln-cpu-gemm-kernels. With `threads` > 1 and at least
    `min-parallel-work` multiply-adds (of the direct convolution) the
    transforms are scf.forall loops.
  }];
  let options = [
    Option<"tileSize", "tile-size", "int64_t", /*default=*/"4",
           "m of F(m x m, 3 x 3): 2 or 4">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of the target's vector registers">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "With more than one, the transforms are distributed (scf.forall)">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"1048576",
           "Convolutions with fewer multiply-adds stay serial">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def CpuIm2colConvolutions
    : Pass<"kiln-cpu-im2col-convolutions", "mlir::ModuleOp"> {
  let summary = "Compute blocked 2-D convolutions recorded as im2col by one matrix product";
  let description = [{
    Each `kiln.conv_nchwc` generic of one block group with two spatial
    dimensions and `kiln.conv_algorithm = "im2col"` becomes a gather of
    its receptive fields into the rows of a matrix (vector loops, rows of
    output pixels distributed with `threads` > 1 and at least
    `min-parallel-work` multiply-adds), a linalg.generic matrix product
    with the filter rearranged at compile time for kiln-cpu-gemm-kernels,
    and an elementwise generic into the blocked output that adds the init
    and into which the convolution's elementwise consumer is fused
    (passes/CpuIm2colConvolutions.cpp).
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "With more than one, the gather is distributed (scf.forall)">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"1048576",
           "Convolutions with fewer multiply-adds stay serial">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def InPlaceSubsets : Pass<"kiln-in-place-subsets", "mlir::ModuleOp"> {
  let summary = "Producers of concatenated and padded tensors write into them";
  let description = [{
    Before bufferization: each tensor.insert_slice into an insert chain
    that starts from a tensor.empty or a constant fill (a concatenation, or
    a static constant tensor.pad, which becomes a fill and an insert) has
    the tensor.empty that its inserted value is computed in (through
    destination-style ops, scf.for and scf.forall) replaced by a slice of
    the chain's start, so that bufferization writes the part in place and
    copies nothing (passes/InPlaceSubsets.cpp).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def ElementwiseInPlace : Pass<"kiln-elementwise-in-place", "mlir::ModuleOp"> {
  let summary = "Elementwise ops write over an input that dies with them";
  let description = [{
    Before bufferization: an all-parallel linalg.generic at the top of a
    function whose init is a tensor.empty it does not read takes as its
    init an input of the same type, read through the identity map, that
    owns its buffer (computed in a tensor.empty of its own) and that no
    later op reads (passes/ElementwiseInPlace.cpp).
  }];
}

def CpuBlockConvolutions
    : Pass<"kiln-cpu-block-convolutions", "mlir::ModuleOp"> {
  let summary = "Rewrite f32 convolutions with constant filters in channel-blocked layout";
  let description = [{
    Each f32 linalg.conv_1d_ncw_fcw, conv_2d_nchw_fchw and
    conv_3d_ncdhw_fcdhw (and depthwise_conv_1d_ncw_cw, _2d_nchw_chw,
    _3d_ncdhw_cdhw) with a constant filter becomes
    unpack(blocked_conv(pad(pack(x)), packed filter, blocked init)): the
    activations packed by `block-size` channels (NCHWc, the input by fewer
    when it has fewer channels), the spatial padding applied to the packed
    input, the filter rearranged at compile time to
    [F/c, C/c', K..., c', c] ([C/c, K..., c] when depthwise), and the
    convolution a linalg.generic tagged `kiln.conv_nchwc` or
    `kiln.depthwise_nchwc` (see passes/cpu-kernels/BlockedConv.h) for
    kiln-cpu-conv-kernels.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"16",
           "Channels per block: the target's f32 vector width">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::tensor::TensorDialect"];
}

def SinkUnpacks : Pass<"kiln-sink-unpacks", "mlir::func::FuncOp"> {
  let summary = "Move linalg.unpack below elementwise ops and cancel pack/unpack pairs";
  let description = [{
    An elementwise linalg.generic reading linalg.unpack results (one tiled
    dimension, divisible, no outer permutation) is rewritten to run on the
    packed data: those inputs are read packed, other inputs that vary along
    the tiled dimension are packed, and the result is unpacked after it.
    pack(unpack(x)) then folds to x, so that packed layouts flow from one
    kernel to the next through activations and residual adds.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def CpuConvKernels : Pass<"kiln-cpu-conv-kernels", "mlir::ModuleOp"> {
  let summary = "Lower channel-blocked convolutions to register-tiled vector kernels";
  let description = [{
    Each `kiln.conv_nchwc` generic (kiln-cpu-block-convolutions) whose
    output block is `vector-width` channels becomes loops over tiles of up
    to 14 pixels x 2 channel blocks held in vector accumulators: per step of
    the reduction (input block, taps, input channel) the tile's filter
    vectors are loaded, each pixel's input value is broadcast, and every
    accumulator takes one FMA. A `kiln.depthwise_nchwc` generic becomes
    tiles of up to 28 pixels of one channel block: per tap, one filter
    vector and each pixel's input vector. The init's fill or bias broadcast is the
    accumulators' initial value; an elementwise consumer is applied before
    the store. With `threads` > 1 and at least `min-parallel-work`
    multiply-adds, the (image, channel group, row) iterations are an
    scf.forall.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of the target's vector registers">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "With more than one, rows are distributed (scf.forall)">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"1048576",
           "Convolutions with fewer multiply-adds stay serial">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def LowerPacks : Pass<"kiln-lower-packs", "mlir::ModuleOp"> {
  let summary = "Lower linalg.pack and linalg.unpack for bufferization";
  let description = [{
    Rewrites each linalg.pack as tensor.pad + tensor.expand_shape +
    linalg.transpose and each linalg.unpack as linalg.transpose +
    tensor.collapse_shape + tensor.extract_slice (MLIR's lowerPack and
    lowerUnPack), which bufferize.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def ApproximateMath : Pass<"kiln-approximate-math", "mlir::ModuleOp"> {
  let summary = "Replace f32 powf, tanh, exp, expm1, log, log1p, log2 and erf with polynomials";
  let description = [{
    MLIR's polynomial approximations of these functions (scalar or vector
    f32), which lower to arithmetic instead of one libm call per element.
    Constant powers become products and square roots; any other powf
    becomes exp(y * log|x|) with C pow's special cases as selects. A
    subnormal argument of log or log2 is scaled into the normal range
    first (the approximations read the exponent field).
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

#endif // KILN_PASSES
