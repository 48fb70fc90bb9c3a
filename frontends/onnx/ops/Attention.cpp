//===- Attention.cpp - Import of ONNX attention ops by decomposition ------===//
//
// Attention (opsets 23-25) and RotaryEmbedding (23) decompose into nn
// matmul, softmax, elementwise and data-movement ops, in the order of the
// ONNX reference implementation (onnx/reference/ops/op_attention.py), so
// that each intermediate rounds as the reference's does. Masks built from
// constants (causal, sliding window) fold to constants; masks from graph
// inputs (attn_mask, nonpad_kv_seqlen) stay elementwise ops.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/ops/Compose.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

/// [B, S, H * D] -> [B, H, S, D].
Value splitHeads(Composer &c, Value v, int64_t heads) {
  auto shape = Composer::typeOf(v).getShape();
  if (heads < 1 || shape[2] % heads != 0)
    return c.fail("attributes 'q_num_heads'/'kv_num_heads'",
                  "must divide the hidden size " + Twine(shape[2]));
  Value r = c.reshape(v, {shape[0], shape[1], heads, shape[2] / heads});
  return c.transpose(r, {0, 2, 1, 3});
}

LogicalResult importAttention(NodeImporter &n) {
  Composer c(n);
  auto q0 = n.requiredInput(0), k0 = n.requiredInput(1), v0 = n.requiredInput(2);
  if (failed(q0) || failed(k0) || failed(v0))
    return failure();
  Value q = *q0, k = *k0, v = *v0;
  Value mask = n.input(3), pastKey = n.input(4), pastValue = n.input(5),
        nonpad = n.input(6);
  int64_t rank = n.inputType(0).getRank();
  if ((rank != 3 && rank != 4) || n.inputType(1).getRank() != rank ||
      n.inputType(2).getRank() != rank)
    return n.error("inputs 0-2 (Q, K, V)", "must all be 3-D or all be 4-D");
  if (!pastKey != !pastValue)
    return n.error("inputs 4, 5 (past_key, past_value)",
                   "must be given together");
  if (nonpad && pastKey)
    return n.error("input 6 (nonpad_kv_seqlen)",
                   "cannot be combined with past_key/past_value");
  Type t = Composer::elementTypeOf(q);
  if (!isa<FloatType>(t))
    return n.error("input 0 (Q)", "must be a floating-point tensor");
  int64_t left = n.intAttr("left_window_size", -1);
  int64_t right = n.intAttr("right_window_size", -1);
  if (left < -1)
    return n.error("attribute 'left_window_size'", "must be -1 or >= 0");
  if (right < -1)
    return n.error("attribute 'right_window_size'", "must be -1 or >= 0");
  int64_t mode = n.intAttr("qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3)
    return n.error("attribute 'qk_matmul_output_mode'", "must be 0, 1, 2 or 3");
  bool causal = n.intAttr("is_causal", 0) != 0;
  double softcap = n.floatAttr("softcap", 0.0);
  Type softmaxType;
  if (n.hasAttribute("softmax_precision")) {
    int64_t p = n.intAttr("softmax_precision", 1);
    if (p != 1 && p != 10 && p != 11 && p != 16)
      return n.error("attribute 'softmax_precision'",
                     "must be 1, 10, 11 or 16, got " + Twine(p));
    softmaxType = elementTypeOf(p, n.context());
  }

  int64_t qHeads = 0, kvHeads = 0;
  if (rank == 3) {
    if (!n.hasAttribute("q_num_heads") || !n.hasAttribute("kv_num_heads"))
      return n.error("attributes 'q_num_heads'/'kv_num_heads'",
                     "are required for 3-D inputs");
    qHeads = n.intAttr("q_num_heads", 0);
    kvHeads = n.intAttr("kv_num_heads", 0);
    q = splitHeads(c, q, qHeads);
    k = splitHeads(c, k, kvHeads);
    v = splitHeads(c, v, kvHeads);
    if (!c.ok())
      return failure();
  }
  auto qShape = Composer::typeOf(q).getShape();
  int64_t batch = qShape[0], qLen = qShape[2];
  if (Composer::typeOf(k).getDimSize(3) != qShape[3])
    return n.error("input 1 (K)", "head size differs from Q's");

  double scale = n.hasAttribute("scale") ? n.floatAttr("scale", 1.0)
                                         : 1.0 / std::sqrt(double(qShape[3]));
  // Q and K are each scaled by sqrt(scale), cast to the input type first.
  Value scaleFactor = c.scalar(std::sqrt(scale), t);

  if (pastKey) {
    k = c.concat({pastKey, k}, 2);
    v = c.concat({pastValue, v}, 2);
  }
  Value presentKey = k, presentValue = v;
  if (!c.ok())
    return failure();
  int64_t kvLen = Composer::typeOf(k).getDimSize(2);
  int64_t pastLen =
      pastKey ? cast<RankedTensorType>(pastKey.getType()).getDimSize(2) : 0;

  Value zero = c.scalar(0, t);
  Value negInf = c.scalar(-std::numeric_limits<double>::infinity(), t);
  // The mask may be shorter than the keys: pad its last axis with -inf
  // (false).
  if (mask) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    int64_t padWidth = kvLen - maskType.getShape().back();
    if (padWidth < 0)
      return n.error("input 3 (attn_mask)", "is longer than the keys");
    if (padWidth > 0) {
      bool isBool = maskType.getElementType().isInteger(1);
      SmallVector<int64_t> pads(2 * maskType.getRank(), 0);
      pads.back() = padWidth;
      if (isBool) {
        // Pad a bool mask through i8: pad takes a float value.
        Value asInt = c.cast(mask, n.builder().getI8Type());
        Value padded =
            c.make<PadOp>(asInt, n.builder().getDenseI64ArrayAttr(pads),
                          PadModeAttr::get(n.context(), PadMode::Constant),
                          n.builder().getF64FloatAttr(0.0));
        mask = c.cast(padded, n.builder().getI1Type());
      } else {
        mask = c.make<PadOp>(mask, n.builder().getDenseI64ArrayAttr(pads),
                             PadModeAttr::get(n.context(), PadMode::Constant),
                             n.builder().getF64FloatAttr(
                                 -std::numeric_limits<double>::infinity()));
      }
    }
  }

  Type i64 = n.builder().getI64Type();
  // The offset of the query block: past length, or per batch
  // nonpad_kv_seqlen - q_len ([B, 1, 1]), or 0.
  bool perBatch = nonpad && !pastKey;
  Value offset;
  if (perBatch) {
    Value lens = c.cast(nonpad, i64);
    offset = c.reshape(c.sub(lens, c.scalar(qLen, i64)), {batch, 1, 1});
  } else {
    offset = c.scalar(pastLen, i64);
  }
  Value iIdx = c.iota(qLen, 2, 0), jIdx = c.iota(kvLen, 2, 1);
  // Adds a [q, kv] or per-batch [B, q, kv] bias to base, per-batch as
  // [B, 1, q, kv].
  auto addBias = [&](Value base, Value allowed) {
    Value bias = c.where(allowed, zero, negInf);
    if (perBatch)
      bias = c.reshape(bias, {batch, 1, qLen, kvLen});
    return c.add(base, bias);
  };
  auto zeros2d = [&]() {
    return n.constant(DenseElementsAttr::get(
        RankedTensorType::get({qLen, kvLen}, t),
        FloatAttr::get(t, 0.0).getValue()));
  };
  bool window = left >= 0 || right >= 0;
  Value attnBias; // null: no bias at all
  if (causal) {
    Value base;
    if (mask && cast<RankedTensorType>(mask.getType()).getElementType().isInteger(1))
      base = c.where(mask, zero, negInf);
    else if (mask)
      base = mask;
    else
      base = zeros2d();
    if (window)
      base = c.add(zeros2d(), base);
    Value allowed = c.le(jIdx, c.add(iIdx, offset));
    attnBias = addBias(base, allowed);
  } else if (mask) {
    if (cast<RankedTensorType>(mask.getType()).getElementType().isInteger(1))
      attnBias = c.add(zeros2d(), c.where(mask, zero, negInf));
    else
      attnBias = c.add(zeros2d(), mask);
  }
  if (window) {
    Value base = attnBias ? c.add(zeros2d(), attnBias) : zeros2d();
    Value diff = c.sub(c.add(iIdx, offset), jIdx);
    Value allowed;
    if (left >= 0)
      allowed = c.le(diff, c.scalar(left, i64));
    if (right >= 0) {
      Value r = c.le(c.sub(c.scalar(0, i64), diff), c.scalar(right, i64));
      allowed = allowed ? c.logicalAnd(allowed, r) : r;
    }
    attnBias = addBias(base, allowed);
  }
  if (nonpad) {
    Value lens = c.reshape(c.cast(nonpad, i64), {batch, 1});
    Value valid = c.lt(c.iota(kvLen, 2, 1), lens);
    Value padding = c.reshape(c.where(valid, zero, negInf), {batch, 1, 1, kvLen});
    attnBias = attnBias ? c.add(attnBias, padding) : c.add(zeros2d(), padding);
  }
  if (!c.ok())
    return failure();

  // Grouped-query attention: repeat each KV head (h0, h0, h1, h1, ...).
  int64_t qh = qShape[1], kh = Composer::typeOf(k).getDimSize(1);
  if (Composer::typeOf(v).getDimSize(1) != kh)
    return n.error("input 2 (V)", "head count differs from K's");
  if (qh != kh) {
    if (qh % kh != 0)
      return n.error("inputs 0, 1 (Q, K)",
                     "the query heads must be a multiple of the key heads");
    int64_t reps = qh / kh;
    auto repeat = [&](Value x) {
      auto s = Composer::typeOf(x).getShape();
      Value r = c.reshape(x, {s[0], s[1], 1, s[2], s[3]});
      r = c.broadcast(r, {s[0], s[1], reps, s[2], s[3]});
      return c.reshape(r, {s[0], s[1] * reps, s[2], s[3]});
    };
    k = repeat(k);
    v = repeat(v);
  }

  Value kT = c.transpose(k, {0, 1, 3, 2});
  Value qk = c.matmul(c.mul(q, scaleFactor), c.mul(kT, scaleFactor));
  Value qkOut = qk;
  if (softcap > 0) {
    Value cap = c.scalar(softcap, t);
    qk = c.mul(c.unary<TanhOp>(c.div(qk, cap)), cap);
    if (mode == 1)
      qkOut = qk;
  }
  Value withBias = attnBias ? c.add(qk, attnBias) : qk;
  if (mode == 2)
    qkOut = withBias;
  Value logits = softmaxType ? c.cast(withBias, softmaxType) : withBias;
  if (!c.ok())
    return failure();
  Type probType = Composer::elementTypeOf(logits);
  Value probs = c.softmax(logits, Composer::typeOf(logits).getRank() - 1);
  if (attnBias) {
    // Rows whose bias is all -inf attend nothing: zero rather than NaN.
    Value rowMax = c.reduce(attnBias, ReduceKind::Max,
                            {Composer::typeOf(attnBias).getRank() - 1}, true);
    Value masked = c.eq(rowMax, negInf);
    probs = c.where(masked, c.scalar(0, probType), probs);
  }
  if (mode == 3)
    qkOut = probs;
  probs = c.cast(probs, t);
  Value y = c.matmul(probs, v);
  if (!c.ok())
    return failure();
  if (rank == 3) {
    auto s = Composer::typeOf(y).getShape();
    y = c.reshape(c.transpose(y, {0, 2, 1, 3}), {s[0], s[2], s[1] * s[3]});
  }
  if (n.wantsOutput(3))
    qkOut = c.cast(qkOut, t);
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  n.setOutput(1, presentKey);
  n.setOutput(2, presentValue);
  n.setOutput(3, qkOut);
  return success();
}

/// RotaryEmbedding: rotates pairs of features (halves, or interleaved
/// even/odd) of each head by the cached cos/sin of the token's position.
LogicalResult importRotaryEmbedding(NodeImporter &n) {
  auto input = n.requiredInput(0), cosCache = n.requiredInput(1),
       sinCache = n.requiredInput(2);
  if (failed(input) || failed(cosCache) || failed(sinCache))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank != 3 && rank != 4)
    return n.error("input 0 (X)", "must be 3-D or 4-D");
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  bool interleaved = n.intAttr("interleaved", 0) != 0;
  int64_t numHeads = n.intAttr("num_heads", 0);
  Composer c(n);
  Value x = *input;
  // [B, S, H, D]
  if (rank == 4) {
    x = c.transpose(x, {0, 2, 1, 3});
  } else {
    auto s = type.getShape();
    if (numHeads < 1 || s[2] % numHeads != 0)
      return n.error("attribute 'num_heads'",
                     "is required for 3-D input and must divide the hidden "
                     "size");
    x = c.reshape(x, {s[0], s[1], numHeads, s[2] / numHeads});
  }
  if (!c.ok())
    return failure();
  auto s = Composer::typeOf(x).getShape();
  int64_t batch = s[0], seq = s[1], heads = s[2], headSize = s[3];
  int64_t rotary = n.intAttr("rotary_embedding_dim", 0);
  if (rotary == 0)
    rotary = headSize;
  if (rotary < 2 || rotary > headSize || rotary % 2 != 0)
    return n.error("attribute 'rotary_embedding_dim'",
                   "must be even and at most the head size");
  int64_t half = rotary / 2;
  Value cosV = *cosCache, sinV = *sinCache;
  if (Value pos = n.input(3)) {
    cosV = c.make<GatherOp>(cosV, pos, n.builder().getI64IntegerAttr(0));
    sinV = c.make<GatherOp>(sinV, pos, n.builder().getI64IntegerAttr(0));
  }
  if (!c.ok())
    return failure();
  for (Value v : {cosV, sinV})
    if (Composer::typeOf(v).getShape() != ArrayRef<int64_t>{batch, seq, half})
      return n.error("inputs 1, 2 (cos_cache, sin_cache)",
                     "must give [batch, sequence, rotary_dim / 2] values "
                     "(after position_ids)");
  cosV = c.reshape(cosV, {batch, seq, 1, half});
  sinV = c.reshape(sinV, {batch, seq, 1, half});
  Value rotate = rotary == headSize ? x : c.sliceAxis(x, 3, 0, rotary);
  Value x1, x2;
  if (interleaved) {
    x1 = c.sliceAxis(rotate, 3, 0, half, 2);
    x2 = c.sliceAxis(rotate, 3, 1, half, 2);
  } else {
    x1 = c.sliceAxis(rotate, 3, 0, half);
    x2 = c.sliceAxis(rotate, 3, half, half);
  }
  Value real = c.sub(c.mul(cosV, x1), c.mul(sinV, x2));
  Value imag = c.add(c.mul(sinV, x1), c.mul(cosV, x2));
  Value rotated;
  if (interleaved) {
    rotated = c.concat({c.reshape(real, {batch, seq, heads, half, 1}),
                        c.reshape(imag, {batch, seq, heads, half, 1})},
                       4);
    rotated = c.reshape(rotated, {batch, seq, heads, rotary});
  } else {
    rotated = c.concat({real, imag}, 3);
  }
  Value out = rotary == headSize
                  ? rotated
                  : c.concat({rotated, c.sliceAxis(x, 3, rotary,
                                                   headSize - rotary)},
                             3);
  if (rank == 4)
    out = c.transpose(out, {0, 2, 1, 3});
  else
    out = c.reshape(out, type.getShape());
  if (!c.ok())
    return failure();
  n.setOutput(0, out);
  return success();
}

/// LinearAttention: the recurrence of the reference, unrolled over the
/// (static) sequence, in f32. Per step t, with the state S [B, Hkv, dk, dv]:
/// S *= exp(decay_t) (gated rules); v_t = beta_t (v_t - k_t S) (delta
/// rules); S += k_t^T v_t; out_t = scale q_t S (S's heads repeated for
/// grouped queries).
LogicalResult importLinearAttention(NodeImporter &n) {
  auto q0 = n.requiredInput(0), k0 = n.requiredInput(1), v0 = n.requiredInput(2);
  if (failed(q0) || failed(k0) || failed(v0))
    return failure();
  std::string rule = n.stringAttr("update_rule", "gated_delta");
  if (rule != "linear" && rule != "gated" && rule != "delta" &&
      rule != "gated_delta")
    return n.error("attribute 'update_rule'",
                   "must be linear, gated, delta or gated_delta, got '" + rule +
                       "'");
  if (!n.hasAttribute("q_num_heads") || !n.hasAttribute("kv_num_heads"))
    return n.error("attributes 'q_num_heads'/'kv_num_heads'", "are required");
  int64_t qHeads = n.intAttr("q_num_heads", 0),
          kvHeads = n.intAttr("kv_num_heads", 0);
  if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0)
    return n.error("attribute 'q_num_heads'",
                   "must be a positive multiple of kv_num_heads");
  bool gating = rule == "gated" || rule == "gated_delta";
  bool delta = rule == "delta" || rule == "gated_delta";
  Value decay = n.input(4), beta = n.input(5), past = n.input(3);
  if (gating != static_cast<bool>(decay))
    return n.error("input 4 (decay)", gating ? "is required by update_rule '" +
                                                   rule + "'"
                                             : "is not allowed with update_rule '" +
                                                   rule + "'");
  if (delta != static_cast<bool>(beta))
    return n.error("input 5 (beta)", delta ? "is required by update_rule '" +
                                                 rule + "'"
                                           : "is not allowed with update_rule '" +
                                                 rule + "'");
  for (size_t i = 0; i < 3; ++i)
    if (n.inputType(i).getRank() != 3)
      return n.error("input " + Twine(i), "must be 3-D (B, T, heads * size)");
  Type outType = n.inputType(0).getElementType();
  if (!isa<FloatType>(outType))
    return n.error("input 0 (query)", "must be a floating-point tensor");
  Composer c(n);
  Type f32 = n.builder().getF32Type();
  auto qShape = n.inputType(0).getShape();
  int64_t batch = qShape[0], steps = qShape[1];
  Value q = c.cast(splitHeads(c, *q0, qHeads), f32);
  Value k = c.cast(splitHeads(c, *k0, kvHeads), f32);
  Value v = c.cast(splitHeads(c, *v0, kvHeads), f32);
  if (!c.ok())
    return failure();
  int64_t dk = Composer::typeOf(q).getDimSize(3);
  int64_t dv = Composer::typeOf(v).getDimSize(3);
  if (Composer::typeOf(k).getDimSize(3) != dk)
    return n.error("input 1 (key)", "head size differs from the query's");
  // decay [B, Hkv, T, 1 or dk]; beta [B, Hkv or 1, T, 1].
  if (decay) {
    int64_t last = cast<RankedTensorType>(decay.getType()).getShape().back();
    if (last == kvHeads)
      decay = c.transpose(c.reshape(decay, {batch, steps, kvHeads, 1}),
                          {0, 2, 1, 3});
    else if (last == kvHeads * dk)
      decay = splitHeads(c, decay, kvHeads);
    else
      return n.error("input 4 (decay)",
                     "last dimension must be kv_num_heads or kv_num_heads * d_k");
    decay = c.cast(decay, f32);
  }
  if (beta) {
    int64_t last = cast<RankedTensorType>(beta.getType()).getShape().back();
    if (last != kvHeads && last != 1)
      return n.error("input 5 (beta)",
                     "last dimension must be kv_num_heads or 1");
    beta = c.cast(c.transpose(c.reshape(beta, {batch, steps, last, 1}),
                              {0, 2, 1, 3}),
                  f32);
  }
  Type stateType = outType;
  Value state;
  if (past) {
    auto pType = cast<RankedTensorType>(past.getType());
    if (pType.getShape() != ArrayRef<int64_t>{batch, kvHeads, dk, dv})
      return n.error("input 3 (past_state)", "must be (B, kv_num_heads, d_k, d_v)");
    stateType = pType.getElementType();
    state = c.cast(past, f32);
  } else {
    state = n.constant(DenseElementsAttr::get(
        RankedTensorType::get({batch, kvHeads, dk, dv}, f32), 0.0f));
  }
  double scale = n.floatAttr("scale", 0.0);
  if (scale == 0.0)
    scale = 1.0 / std::sqrt(static_cast<double>(dk));
  int64_t group = qHeads / kvHeads;
  SmallVector<Value> outs;
  for (int64_t i = 0; i < steps && c.ok(); ++i) {
    Value qt = c.sliceAxis(q, 2, i, 1); // [B, Hq, 1, dk]
    Value kt = c.sliceAxis(k, 2, i, 1); // [B, Hkv, 1, dk]
    Value vt = c.sliceAxis(v, 2, i, 1); // [B, Hkv, 1, dv]
    if (gating) {
      Value g = c.unary<ExpOp>(c.sliceAxis(decay, 2, i, 1)); // [B,H,1,1|dk]
      int64_t gl = Composer::typeOf(g).getShape().back();
      state = c.mul(state, c.reshape(g, {batch, kvHeads, gl, 1}));
    }
    if (delta) {
      Value retrieved = c.matmul(kt, state); // [B, Hkv, 1, dv]
      vt = c.mul(c.sliceAxis(beta, 2, i, 1), c.sub(vt, retrieved));
    }
    Value ktCol = c.reshape(kt, {batch, kvHeads, dk, 1});
    state = c.add(state, c.mul(ktCol, vt));
    Value read = state;
    if (group > 1) {
      read = c.reshape(state, {batch, kvHeads, 1, dk, dv});
      read = c.broadcast(read, {batch, kvHeads, group, dk, dv});
      read = c.reshape(read, {batch, qHeads, dk, dv});
    }
    outs.push_back(c.mul(c.scalar(scale, f32), c.matmul(qt, read)));
  }
  Value out = c.concat(outs, 2); // [B, Hq, T, dv]
  if (!c.ok())
    return failure();
  out = c.reshape(c.transpose(out, {0, 2, 1, 3}), {batch, steps, qHeads * dv});
  out = c.cast(out, outType);
  Value present = c.cast(state, stateType);
  if (!c.ok())
    return failure();
  n.setOutput(0, out);
  n.setOutput(1, present);
  return success();
}

} // namespace

void registerAttentionImporters(OpImporterTable &t) {
  t["Attention"] = importAttention;
  t["RotaryEmbedding"] = importRotaryEmbedding;
  t["LinearAttention"] = importLinearAttention;
}

} // namespace kiln::onnx_frontend
