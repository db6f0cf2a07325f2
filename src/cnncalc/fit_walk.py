"""The walk behind :func:`cnncalc.fit.input_sizes`: one input dimension followed through layers, blocks and graphs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from math import gcd, prod

from .blocks import Block, Concat, Residual, Scale, Sequential, SideBranch, SqueezeExcitation
from .errors import ShapeError
from .graph import Graph, Tensor
from .layers import (
    FC,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    ChannelLayerNorm,
    ChannelShuffle,
    Chunk,
    Conv,
    ConvTranspose,
    Flatten,
    GroupNorm,
    InstanceNorm,
    Layer,
    LayerScale,
    MaxPool,
    Narrow,
    Permute,
    PointwiseLinear,
    PReLU,
    Reshape,
)
from .layers.attention import MultiheadAttention
from .layers.base import _Elementwise
from .layers.elementwise import Hardtanh, Operand
from .layers.multiscale import GridMaxPool, MultiscaleAttention, PositionalEncoding3d
from .layers.padding import CenterCrop, Crop, _Pad
from .layers.resampling import MaxUnpool, PixelShuffle, PixelUnshuffle, Upsample
from .layers.tokens import ClassToken, LayerNorm, PositionEmbedding, SelectToken, TokenLinear
from .layers.windows import PartitionAttention, PatchMerging, ShiftedWindowAttention
from .merges import Concatenate, CropTo, Merge
from .size_maps import IDENTITY, NEVER, Condition, SizeMap, _at_least, _equal, _equal_or_broadcast
from .validation import Shape

Track = tuple[int, SizeMap] | None
"""Where the input size ``n`` is in a tensor: the axis it sets and the size there as a map of ``n``;
``None`` once no size depends on ``n`` any more (after an ``FC``)."""

# Layers that keep every size and accept any: only the channels (or nothing) change.
_SAME_SIZES = (
    _Elementwise, BatchNorm, LRN, ChannelShuffle, Chunk, Narrow, ChannelLayerNorm, PointwiseLinear, LayerScale,
    GroupNorm, InstanceNorm, PReLU, MultiheadAttention, Hardtanh,
)  # fmt: skip


class _Walk:
    """Follows one input dimension through the layers, collecting conditions on the input size."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.valid: list[tuple[int, str]] = []  # (smallest input size n it accepts, which layer and why)
        self.agree: list[Condition] = []
        self.exact: list[Condition] = []
        self.lossless: list[Condition] = []

    @staticmethod
    def probe(shape: Shape, axis: int, size: int) -> Shape:
        return (*shape[:axis], size, *shape[axis + 1 :])

    def layers(
        self, layers: Sequence[Layer], shape: Shape, track: Track, prefix: str = "", start: int = 1
    ) -> tuple[Shape, Track]:
        """Follow ``layers`` in turn, numbered as a network's records number them."""
        for number, layer in enumerate(layers, start):
            shape, track = self.layer(layer, shape, track, f"{prefix}{number}")
        return shape, track

    def layer(self, layer: Layer, shape: Shape, track: Track, path: str) -> tuple[Shape, Track]:
        output = layer.output_shape(shape)
        if track is None:
            return output, None
        axis, size = track
        where = f"layer {path} {layer!r}"
        if isinstance(layer, Block):
            return output, self.block(layer, shape, track, path)
        if isinstance(layer, _SAME_SIZES):
            return output, track
        spatial = axis - 1  # the index of per-dimension arguments (kernel_size, stride, ...)
        if isinstance(layer, (FC, TokenLinear)):
            if isinstance(layer, TokenLinear) and axis != len(shape) - 1:
                return output, track  # a Linear on the last dimension leaves the others as they are
            pinned = getattr(layer, "in_features", None)
            if pinned is not None:  # a Linear with in_features fixed takes only that many elements
                rest = prod(shape) // shape[axis] if isinstance(layer, FC) else 1
                if pinned % rest:
                    raise ValueError(f"{where}: in_features={pinned} is no multiple of the {rest} other elements")
                self.agree.append(_equal(size, SizeMap(1, 0, (pinned // rest,)), where))
            return output, None
        if isinstance(layer, Flatten):  # PyTorch's dims count the batch; cnncalc's shapes do not
            first = layer.start_dim - 1 if layer.start_dim > 0 else len(shape) + layer.start_dim
            last = layer.end_dim - 1 if layer.end_dim >= 0 else len(shape) + layer.end_dim
            if axis < first:
                return output, track
            if axis > last:
                return output, (axis - (last - first), size)
            return output, (first, size.times(prod(shape[first : last + 1]) // shape[axis]))
        if isinstance(layer, Reshape):  # a reshape to fixed sizes takes only the size it was made for
            try:
                layer.output_shape(self.probe(shape, axis, shape[axis] + 1))
            except ShapeError:
                self.agree.append(_equal(size, SizeMap(1, 0, (shape[axis],)), where))
                return output, None
            raise ValueError(f"{where}: cnncalc.fit does not follow a size through a reshape that adapts to it")
        if isinstance(layer, Permute):
            return output, (list(layer.dims).index(axis), size)
        if isinstance(layer, (PositionEmbedding, LayerNorm, Operand)):  # sizes fixed when made: only the same passes
            return output, (axis, self.fixed(layer, shape, axis, size, where))
        if isinstance(layer, (PositionalEncoding3d, MultiscaleAttention, GridMaxPool)) and axis == 0:
            # MViT's tokens: made for one grid of T*H*W tokens (and its class token), so only that count passes,
            # and what comes out is sized by the grid too
            self.fixed(layer, shape, axis, size, where)
            return output, (axis, SizeMap(1, 0, (output[axis],)))
        if isinstance(layer, ClassToken):
            return output, (
                (axis, self.sized(layer, shape, axis, size, path, 1, 1, tiles=False)) if axis == 0 else track
            )
        if isinstance(layer, SelectToken):
            return output, ((axis, SizeMap(1, 0, (output[axis],))) if axis == 0 else track)
        if axis == 0:
            raise ValueError(f"{where}: cnncalc.fit does not know how it changes the first dimension")
        if isinstance(layer, (Conv, MaxPool, AvgPool)):
            stride = layer._windows(shape)[1] if isinstance(layer, Conv) else layer._expand(shape)[1]
            return output, (axis, self.sized(layer, shape, axis, size, path, stride[spatial], 1, tiles=True))
        if isinstance(layer, ConvTranspose):
            stride = layer._expand(shape)[1]
            return output, (axis, self.sized(layer, shape, axis, size, path, 1, stride[spatial], tiles=False))
        fixed = (
            layer.size if isinstance(layer, Upsample) else layer.output_size if isinstance(layer, MaxUnpool) else None
        )
        if isinstance(layer, (AdaptiveAvgPool, AdaptiveMaxPool, CenterCrop)) or fixed is not None:
            if isinstance(layer, CenterCrop):  # a fixed size, from inputs at least that large
                self.sized(layer, shape, axis, size, path, 1, 0, tiles=False)
            return output, (axis, SizeMap(1, 0, (output[axis],)))
        period, step = 1, 1  # padding, cropping, window attention: sizes as they come, or checked by probing
        if isinstance(layer, Upsample):
            scales = layer.scale_factor
            scale = Fraction(scales[spatial] if isinstance(scales, tuple) else scales)  # type: ignore[arg-type]
            period, step = scale.denominator, scale.numerator
        elif isinstance(layer, MaxUnpool):
            stride = layer.kernel_size if layer.stride is None else layer.stride
            step = stride[spatial] if isinstance(stride, tuple) else stride
        elif isinstance(layer, PixelShuffle):
            step = layer.upscale_factor
        elif isinstance(layer, (PixelUnshuffle, PatchMerging)):
            period = layer.downscale_factor if isinstance(layer, PixelUnshuffle) else 2
        elif isinstance(layer, PartitionAttention):  # sizes as they come, in multiples of the partition
            period = step = layer.partition_size
        elif not isinstance(layer, (_Pad, Crop, ShiftedWindowAttention)):
            raise ValueError(f"{where}: cnncalc.fit does not know how it changes spatial sizes")
        return output, (axis, self.sized(layer, shape, axis, size, path, period, step, tiles=False))

    def fixed(self, layer: Layer, shape: Shape, axis: int, size: SizeMap, where: str) -> SizeMap:
        """A layer made for one size along ``axis`` (position embeddings, a layer norm over that axis)."""
        wanted = shape[axis]
        try:
            layer.output_shape(self.probe(shape, axis, wanted + 1))
        except ShapeError:
            self.agree.append(_equal(size, SizeMap(1, 0, (wanted,)), where))
        return size

    def sized(
        self, layer: Layer, shape: Shape, axis: int, size: SizeMap, path: str, period: int, step: int, tiles: bool
    ) -> SizeMap:
        """A layer whose output grows by ``step`` for every ``period`` more inputs: its smallest input,
        which sizes it accepts past that (a pattern over the period), its output map, and its tiling pattern."""

        def accepts(m: int) -> bool:
            try:
                layer.output_shape(self.probe(shape, axis, m))
            except ShapeError:
                return False
            return True

        far = period * (1 << 40)  # far past any threshold: which residues a layer accepts at all
        pattern = tuple(accepts(far + r) for r in range(period))
        if not any(pattern):
            raise ValueError(f"layer {path} {layer!r} accepts no size of this dimension")
        smallest = self.smallest_accepted(accepts, pattern)
        representative = period * (smallest // period + 2)  # an accepted size, a multiple of the period

        def out(m: int) -> int:
            return layer.output_shape(self.probe(shape, axis, m))[axis]

        shift = representative // period * step
        found: dict[int, int] = {
            r: out(representative + 1 + r) - shift for r in range(period) if pattern[(representative + 1 + r) % period]
        }
        known = min(found)
        # sizes it refuses take the values of its rule where the rule rises by whole sizes, so the map can shorten
        rise = step // period if step % period == 0 else 0
        table = tuple(found.get(r, found[known] + (r - known) * rise) for r in range(period))
        own = SizeMap(period, step, table).shortest()
        reach = self.threshold(size, smallest)
        settled = max(reach, size.settled)
        self.valid.append((reach, f"layer {path} {layer!r} needs at least {smallest} here, which input {reach} gives"))
        repeat = size.period * (period // gcd(period, size.step)) if size.step else size.period
        if not all(pattern):  # only some sizes, such as multiples of a pixel unshuffle's factor
            self.agree.append((settled, repeat, lambda n: pattern[size(n) % period], f"layer {path} {layer!r}"))
        if tiles:  # whether windows tile exactly, and leave input unread, repeats with the stride
            probes = [layer._tiling(self.probe(shape, axis, representative + r)) for r in range(period)]
            tilings = [t[axis - 1] for t in probes]  # type: ignore[index]
            exact = tuple(t.exact for t in tilings)
            read = tuple(t.unread == 0 for t in tilings)
            self.exact.append((settled, repeat, lambda n: exact[size(n) % period], path))
            self.lossless.append((settled, repeat, lambda n: read[size(n) % period], path))
        return size.then(own)

    @staticmethod
    def smallest_accepted(accepts: Callable[[int], bool], pattern: tuple[bool, ...]) -> int:
        """The smallest size a layer accepts, given which residues it accepts far out (``pattern``).

        From its threshold on, a layer accepts exactly the sizes the pattern
        allows; a whole period of such sizes marks the threshold.
        """
        period = len(pattern)

        def settled(m: int) -> bool:
            return all(accepts(m + r) == pattern[(m + r) % period] for r in range(period))

        high = 1
        while not settled(high):
            high *= 2
            if high > 1 << 64:
                raise ValueError("no threshold found below 2**64")
        low = high // 2
        while low + 1 < high:  # settled(high), not settled(low) (or low == 0)
            middle = (low + high) // 2
            low, high = (low, middle) if settled(middle) else (middle, high)
        return next(m for m in range(high, high + period) if pattern[m % period])

    def threshold(self, size: SizeMap, smallest: int) -> int:
        """The smallest input size ``n`` at which ``size(n)`` reaches ``smallest`` (sizes only grow with n)."""
        if size(1) >= smallest:
            return 1
        if size.step == 0:  # constant: never grows
            return NEVER
        low, high = 1, ((smallest - min(size.table)) // size.step + 1) * size.period + 1
        while low + 1 < high:  # size(low) < smallest <= size(high)
            middle = (low + high) // 2
            low, high = (low, middle) if size(middle) >= smallest else (middle, high)
        return high

    def graph(self, graph: Graph, varied: set[int]) -> None:
        """Follow a graph's calls in order; the inputs in ``varied`` take the size ``n``, the others keep theirs."""
        axis = self.dim + 1
        found: dict[int, tuple[Shape, Track]] = {}
        for tensor in graph.inputs:
            held = (axis, SizeMap(1, 0, (tensor.shape[axis],))) if len(tensor.shape) > axis else None
            found[id(tensor)] = (tensor.shape, (axis, IDENTITY) if id(tensor) in varied else held)
        for position, tensor in enumerate(graph._order, 1):
            path = str(position)
            layer: Layer = tensor.layer  # type: ignore[assignment]  # only inputs have no layer
            reaching = [found[id(t)] for t in tensor.inputs]
            if isinstance(layer, Merge):
                found[id(tensor)] = (tensor.shape, self.merge(layer, tensor, reaching, path))
            else:
                shape, track = reaching[0]
                found[id(tensor)] = self.layer(layer, shape, track, path)

    def merge(self, layer: Merge, tensor: Tensor, reaching: list[tuple[Shape, Track]], path: str) -> Track:
        """The size after a merge, and what it asks of its inputs' sizes."""
        tracks = [track for _, track in reaching]
        if all(track is None for track in tracks):
            return None
        axes = {track[0] for track in tracks if track is not None}
        where = f"layer {path} {layer!r}"
        if len(axes) > 1 or any(track is None for track in tracks):
            raise ValueError(f"{where}: joins tensors whose size depends on the input along different axes")
        axis = axes.pop()
        maps = [track[1] for track in tracks if track is not None]
        if isinstance(layer, CropTo):  # takes the reference's size; the cropped input must be at least as large
            source, reference = maps
            self.agree.append(_at_least(source, reference, where))
            return axis, reference
        if isinstance(layer, Concatenate) and layer.dim % len(tensor.shape) == axis:
            total = maps[0]
            for other in maps[1:]:
                total = total.plus(other)
            return axis, total
        if isinstance(layer, Concatenate):
            for other in maps[1:]:
                if other != maps[0]:
                    self.agree.append(_equal(maps[0], other, where))
            return axis, maps[0]
        # sums, differences and products broadcast: each size equals the largest, or is 1
        for i, first in enumerate(maps):
            for other in maps[i + 1 :]:
                if other != first:
                    self.agree.append(_equal_or_broadcast(first, other, where))
        largest = maps[0]
        for other in maps[1:]:
            largest = largest if other == largest else largest.largest(other)
        return axis, largest

    def block(self, block: Block, shape: Shape, track: Track, path: str) -> Track:
        assert track is not None
        axis, size = track
        if isinstance(block, SideBranch):
            if not block.training_only:  # it runs in the forward pass: it must fit too
                self.layers(block.layers, shape, track, f"{path}: side branch layer ")
            return track  # its output leaves the network: the main path passes the input on
        outputs, number = [], 1
        for inner in block.paths():
            outputs.append(self.layers(inner, shape, track, f"{path}.", number)[1])
            number += len(inner)
        where = f"block {path} {block!r}"
        if isinstance(block, (Residual, Concat)):
            first = outputs[0]
            for other in outputs[1:]:
                if first is not None and other is not None and first != other:
                    if first[0] != other[0]:
                        raise ValueError(f"{where}: its paths move the input's size to different axes")
                    self.agree.append(_equal(first[1], other[1], where))
            return first if first is not None else track
        if isinstance(block, (Scale, SqueezeExcitation)):
            gate = outputs[1]
            if gate is not None and gate[1] != size and not (gate[1].step == 0 and set(gate[1].table) == {1}):
                self.agree.append(_equal(size, gate[1], where))
            return track
        if isinstance(block, Sequential):
            return outputs[0] if outputs[0] is not None else track
        raise ValueError(f"{where}: cnncalc.fit does not know how its paths join")
