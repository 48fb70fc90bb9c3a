#!/usr/bin/env python3
"""ResNet-18 (He et al. 2016, torchvision's layout) as ONNX, with
deterministic random weights.

    input 1x3x224x224
    conv1 7x7/2 pad 3 (64) + BN + ReLU, maxpool 3x3/2 pad 1     -> 64x56x56
    layer1..layer4: two BasicBlocks each, 64/128/256/512 channels; the first
      block of layers 2-4 has stride 2 and a 1x1/2 conv + BN downsample
    GlobalAveragePool, flatten, Gemm 512 -> 1000                 -> [1, 1000]

Like torch.onnx's export, convolutions have no bias (BN follows), BN is a
separate BatchNormalization node with non-trivial random statistics (so folding
it is really exercised), and the flatten is the Shape -> Gather -> Unsqueeze ->
Concat -> Reshape chain that `x.view(x.size(0), -1)` exports (--flatten=op
writes a single Flatten node instead).

--torch-export writes it the way torch.onnx.export(..., dynamic_axes=
{"input": {0: "batch_size"}}) does: a symbolic batch dimension, small
constants as Constant nodes, convolution weights behind Identity nodes;
--external-data puts the weights in resnet18.onnx.data beside the model
(onnx.save_model(save_as_external_data=True), as exporters do for large
models).

    python3 models/make_resnet18.py resnet18.onnx [--opset N] [--seed S]
        [--batch B] [--flatten chain|op] [--classes K] [--torch-export]
        [--external-data]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx  # noqa: E402

from onnx_builder import GraphBuilder, make_model, standard_args  # noqa: E402


def basic_block(b, x, cin, cout, stride, name):
    y = b.conv(x, cin, cout, 3, name + ".conv1", stride=stride, pad=1,
               bias=False)
    y = b.batchnorm(y, cout, name + ".bn1")
    y = b.node("Relu", [y], name="/%s/relu/Relu" % name)
    y = b.conv(y, cout, cout, 3, name + ".conv2", pad=1, bias=False)
    y = b.batchnorm(y, cout, name + ".bn2")
    if stride != 1 or cin != cout:
        x = b.conv(x, cin, cout, 1, name + ".downsample.0", stride=stride,
                   bias=False)
        x = b.batchnorm(x, cout, name + ".downsample.1")
    y = b.node("Add", [y, x], name="/%s/Add" % name)
    return b.node("Relu", [y], name="/%s/relu_1/Relu" % name)


def build(opset=13, seed=0, batch=1, flatten="chain", classes=1000,
          widths=(64, 128, 256, 512), blocks=(2, 2, 2, 2), image=224,
          name="resnet18", torch_export=False):
    b = GraphBuilder(opset, seed, torch_export)
    if torch_export:
        batch = "batch_size"
    x = b.input("input", [batch, 3, image, image])
    y = b.conv(x, 3, widths[0], 7, "conv1", stride=2, pad=3, bias=False)
    y = b.batchnorm(y, widths[0], "bn1")
    y = b.node("Relu", [y], name="/relu/Relu")
    y = b.node("MaxPool", [y], name="/maxpool/MaxPool", kernel_shape=[3, 3],
               strides=[2, 2], pads=[1, 1, 1, 1])
    cin = widths[0]
    for stage, (cout, n) in enumerate(zip(widths, blocks)):
        for i in range(n):
            stride = 2 if (i == 0 and stage > 0) else 1
            y = basic_block(b, y, cin, cout, stride,
                            "layer%d.%d" % (stage + 1, i))
            cin = cout
    y = b.node("GlobalAveragePool", [y], name="/avgpool/GlobalAveragePool")
    if flatten == "chain":
        y = b.flatten_torch_view(y, "/flatten")
    else:
        y = b.node("Flatten", [y], name="/flatten/Flatten", axis=1)
    y = b.gemm(y, cin, classes, "fc")
    b.output(b.rename(y, "output"), [batch, classes])
    return make_model(b.graph(name), opset)


def main():
    p = standard_args("Write ResNet-18 as ONNX with seeded random weights.")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--flatten", choices=["chain", "op"], default="chain",
                   help="Shape/Gather/Unsqueeze/Concat/Reshape chain "
                   "(default) or one Flatten node")
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--torch-export", action="store_true",
                   help="symbolic batch, Constant nodes, Identity-wrapped "
                   "weights, as torch.onnx.export writes them")
    p.add_argument("--external-data", action="store_true",
                   help="weights in OUT.data beside the model")
    a = p.parse_args()
    model = build(a.opset, a.seed, a.batch, a.flatten, a.classes,
                  torch_export=a.torch_export)
    n = sum(t.ByteSize() for t in model.graph.initializer)
    if a.external_data:
        onnx.save_model(model, a.out, save_as_external_data=True,
                        all_tensors_to_one_file=True,
                        location=os.path.basename(a.out) + ".data",
                        size_threshold=0)
    else:
        onnx.save(model, a.out)
    print("wrote %s (ResNet-18, opset %d, seed %d, %d nodes, %.1f MB of "
          "weights)" % (a.out, a.opset, a.seed, len(model.graph.node),
                        n / 1e6))


if __name__ == "__main__":
    main()
