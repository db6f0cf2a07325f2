"""A ``torch.fx`` trace worked through with cnncalc's shapes instead of tensors.

The module is traced symbolically (``torch.fx``'s ``Tracer``: nothing is
run), and each node of the traced graph is then evaluated on abstract
values: a tensor is a cnncalc :class:`~cnncalc.Tensor` (channels first, no
batch dimension), ``x.shape`` and ``x.size()`` are tuples of plain ints with
:data:`BATCH` in front, a learned tensor read with ``get_attr`` is a
:class:`Param`, and Python values stay what they are. Modules and functions
are mapped by :mod:`.modules`, :mod:`.calls` and :mod:`.functional`.

torch is imported inside the functions here, never at import time, so that
the default test suite (which imports every module for its doctests) runs
where torch is not installed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ShapeError, SpecError
from ..graph import Graph, Input, Tensor
from ..layers import Layer


class Unsupported(Exception):
    """What a converter raises for something it cannot map; the walk adds which node it was.

    >>> str(Unsupported("indexing a tensor (8, 4, 4) with 0 picks samples of the batch"))
    'indexing a tensor (8, 4, 4) with 0 picks samples of the batch'
    """


class _Batch:
    """The batch dimension's size, which cnncalc's shapes leave out: ``x.shape[0]``, ``x.size(0)``.

    >>> BATCH
    batch
    """

    def __repr__(self) -> str:
        return "batch"


BATCH = _Batch()


@dataclass(frozen=True)
class Param:
    """A parameter or buffer read with ``get_attr`` (ViT's ``class_token``, ConvNeXt's ``layer_scale``).

    ``shape`` is torch's own (a learned tensor has no batch dimension);
    ``expanded`` is set by ``expand(batch, ...)``, after which the first
    dimension stands for the batch.

    >>> describe(Param("class_token", (1, 1, 768), trainable=True))
    "the learned tensor 'class_token' (1, 1, 768)"
    """

    target: str
    shape: tuple[int, ...]
    trainable: bool
    expanded: bool = False


@dataclass(frozen=True)
class Opaque:
    """A value cnncalc does not follow (attention weights, a recurrent layer's final states, a dtype).

    Passing it on is fine; using it in a computation raises :class:`Unsupported`.

    >>> describe(Opaque("LSTM's final states"))
    "LSTM's final states"
    """

    what: str


def class_key(value: Any) -> str:
    """``module.qualname`` of ``value``'s class, the key the module table is looked up by.

    >>> from cnncalc import Conv
    >>> class_key(Conv(8, 3))
    'cnncalc.layers.convolution.Conv'
    """
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def named(layer: Layer, name: str) -> Layer:
    """``layer`` carrying ``name`` when layers take a ``name`` keyword, else ``layer`` itself.

    >>> from cnncalc import Conv
    >>> named(Conv(8, 3), "layer1.0.conv1")
    Conv(out_channels=8, kernel_size=3, name='layer1.0.conv1')
    """
    if dataclasses.is_dataclass(layer) and any(f.name == "name" for f in dataclasses.fields(layer)):
        return dataclasses.replace(layer, name=name)
    return layer


class Walk:
    """The state of one evaluation: values of the nodes done, names given, layers made for each module."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.values: dict[Any, Any] = {}
        self.taken: dict[str, int] = {}
        self.labels: set[str] = set()
        self.shared: dict[Any, Layer] = {}  # a module (by id) or a parameter (by target) called again
        self.node: Any = None
        self.side: set[str] = set()  # paths of the modules that run only in training

    def unique(self, base: str) -> str:
        """``base``, made unique: a module called again is ``base@2``, ``base@3``, ... (the graph's own
        convention), a function called again in one module ``base_1``, ``base_2``, ... (torch.fx's)."""
        module = self.node is not None and self.node.op == "call_module"
        count = self.taken.get(base, 0)
        label = base
        while label in self.labels:
            count += 1
            label = f"{base}@{count + 1}" if module else f"{base}_{count}"
        self.taken[base] = count
        self.labels.add(label)
        return label

    def apply(self, layer: Layer, inputs: list[Any], base: str, key: Any = None) -> Tensor:
        """Call ``layer`` on ``inputs`` (tensors) and name the output; ``key`` shares one layer object per key."""
        for value in inputs:
            if not isinstance(value, Tensor):
                raise Unsupported(f"{type(layer).__name__} would read {describe(value)}, which is not a tensor")
        label = self.unique(base)
        if key is None:
            layer = named(layer, label)
        else:
            layer = self.shared.setdefault(key, named(layer, label))
        tensor = layer(*inputs)
        if not isinstance(tensor, Tensor):  # pragma: no cover - layers called on tensors make tensors
            raise Unsupported(f"{layer!r} did not make a tensor")
        tensor.name = label
        return tensor

    def base_name(self) -> str:
        """What the current node's output is called: its module's path, or the function's name within the
        module that calls it (``layer1.0.add``), as torchvision's feature extraction names nodes."""
        node = self.node
        if node.op == "call_module":
            return str(node.target)
        stack = node.meta.get("nn_module_stack") or {}
        scope = str(list(stack.values())[-1][0]) if stack else ""
        target = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", node.name)
        return f"{scope}.{target}" if scope else str(target)


def describe(value: Any) -> str:
    """A value as error messages name it.

    >>> from cnncalc import Input
    >>> describe(Input((3, 8, 8))), describe(None)
    ('a tensor (3, 8, 8)', 'None')
    """
    if isinstance(value, Tensor):
        return f"a tensor {value.shape}"
    if isinstance(value, Param):
        return f"the learned tensor {value.target!r} {value.shape}"
    if isinstance(value, Opaque):
        return value.what
    return repr(value)


def _target(node: Any) -> str:
    target = node.target
    if callable(target):
        module = getattr(target, "__module__", None) or ""
        module = {"_operator": "operator", "torch._C._nn": "torch.nn.functional", "builtins": ""}.get(module, module)
        name = getattr(target, "__name__", None) or repr(target)
        return f"{module}.{name}" if module else str(name)
    return str(target)


def where(node: Any, root: Any) -> str:
    """The node as errors name it: its name, kind and target (and the module's class)."""
    if node.op == "call_module":
        module = root.get_submodule(node.target)
        return f"torch.fx node {node.name!r} (call_module {node.target!r}, a {class_key(module)})"
    return f"torch.fx node {node.name!r} ({node.op} {_target(node)})"


def _trace(root: Any, training: bool, leaves: set[str], side: set[str]) -> Any:
    """``root``'s fx graph in training or evaluation mode, stopping at ``leaves`` (class keys) and ``side`` (paths)."""
    import torch.fx

    class Tracer(torch.fx.Tracer):  # type: ignore[misc]  # torch's class, untyped here
        """torch.fx's tracer, stopping also at the torchvision modules cnncalc has a layer for."""

        def is_leaf_module(self, module: Any, qualified_name: str) -> bool:
            if class_key(module) in leaves or qualified_name in side:
                return True
            return bool(super().is_leaf_module(module, qualified_name))

    was_training = root.training
    root.train(training)
    try:
        return Tracer().trace(root)
    except Exception as error:
        raise SpecError(
            f"from_torch: torch.fx could not trace {type(root).__name__}: {type(error).__name__}: {error} "
            "(torch.fx follows forward without running it, so Python control flow that depends on a "
            "tensor's values cannot be traced)"
        ) from None
    finally:
        root.train(was_training)


def _parameters_reached(root: Any, graph: Any) -> set[int]:
    """The ids of the parameters the traced ``forward`` uses: in modules it calls, or read directly."""
    reached: set[int] = set()
    for node in graph.nodes:
        if node.op == "call_module":
            reached.update(id(p) for p in root.get_submodule(node.target).parameters())
        elif node.op == "get_attr":
            value = _attribute(root, node.target)
            reached.add(id(value))
    return reached


def _attribute(root: Any, target: str) -> Any:
    owner, _, attribute = target.rpartition(".")
    return getattr(root.get_submodule(owner) if owner else root, attribute)


def _unreached(root: Any, reached: set[int]) -> list[tuple[str, int]]:
    """The largest submodules none of whose parameters the trace uses, with their parameter counts."""
    found: list[tuple[str, int]] = []

    def visit(prefix: str, module: Any) -> None:
        own = list(module.parameters())
        if own and not any(id(p) in reached for p in own):
            found.append((prefix or "(the whole module)", sum(p.numel() for p in own)))
            return
        for child_name, child in module.named_children():
            visit(f"{prefix}.{child_name}" if prefix else child_name, child)
        direct = [(n, p) for n, p in module.named_parameters(recurse=False) if id(p) not in reached]
        found.extend((f"{prefix}.{n}" if prefix else n, p.numel()) for n, p in direct)

    visit("", root)
    return found


def trace_module(root: Any, shapes: list[tuple[int, ...]], name: str) -> Graph:
    """The graph of ``root`` traced on inputs of ``shapes``; see :func:`cnncalc.from_torch`."""
    from .calls import call_function, call_method
    from .modules import LEAVES, call_module

    graph = _trace(root, False, set(LEAVES), set())
    unreached = _unreached(root, _parameters_reached(root, graph))
    side = {path for path, _ in unreached if _is_module(root, path)}
    if unreached:
        graph = _side_branches(root, unreached, side, set(LEAVES))

    walk = Walk(root)
    walk.side = side
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    inputs: list[Tensor] = []
    outputs: list[Tensor] = []
    handlers: dict[str, Callable[[Walk, Any, tuple[Any, ...], dict[str, Any]], Any]] = {
        "call_module": call_module,
        "call_function": call_function,
        "call_method": call_method,
    }
    import torch.fx

    for node in graph.nodes:
        walk.node = node
        try:
            args = torch.fx.node.map_arg(node.args, lambda n: walk.values[n])
            kwargs = torch.fx.node.map_arg(node.kwargs, lambda n: walk.values[n])
            if node.op == "placeholder":
                value = _placeholder(node, placeholders, shapes, inputs)
            elif node.op == "get_attr":
                value = _get_attr(root, node.target)
            elif node.op == "output":
                outputs = _tensors(args[0])
                continue
            elif node.op == "call_module" and node.target in side:
                value = side_branch(walk, node.target, args, kwargs)
            else:
                value = handlers[node.op](walk, node.target, args, kwargs)
        except Unsupported as error:
            raise SpecError(f"from_torch: {where(node, root)}: {error}") from None
        except ShapeError as error:
            raise ShapeError(
                f"{error.detail}; at {where(node, root)}", layer=error.layer, input_shape=error.input_shape
            ) from None
        except SpecError:
            raise  # from a training-only branch traced on its own: it names its node already
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
            raise SpecError(f"from_torch: {where(node, root)}: {type(error).__name__}: {error}") from None
        walk.values[node] = value
    if not outputs:
        raise SpecError(f"from_torch: {type(root).__name__}'s forward returns no tensor")
    result = Graph(inputs, outputs, name=name)
    expected = sum(p.numel() for p in {id(p): p for p in root.parameters()}.values())
    if result.param_count() != expected:  # pragma: no cover - a mapping mistake, caught here rather than printed
        raise SpecError(
            f"from_torch: the layers made count {result.param_count():,} parameters where "
            f"{type(root).__name__} holds {expected:,}; please report this model"
        )
    return result


def _is_module(root: Any, path: str) -> bool:
    import torch

    try:
        return isinstance(root.get_submodule(path), torch.nn.Module)
    except AttributeError:
        return False


def _side_branches(root: Any, unreached: list[tuple[str, int]], side: set[str], leaves: set[str]) -> Any:
    """The training-mode graph, in which every module unused in evaluation is called once, on one tensor.

    Such modules (GoogLeNet's ``aux1`` and ``aux2``, Inception v3's
    ``AuxLogits``) become :class:`~cnncalc.SideBranch` layers: their
    parameters count, their MACs do not, as torch in evaluation mode never
    runs them. Anything else unused is refused, since its parameters would
    go uncounted.
    """
    listed = ", ".join(f"{path} ({count:,} parameters)" for path, count in unreached)
    problem = (
        f"from_torch: {type(root).__name__}'s forward in evaluation mode never uses {listed}; their parameters "
        "would go uncounted"
    )
    if len(side) != len(unreached):
        raise SpecError(f"{problem} (remove the parameters that forward does not use)")
    graph = _trace(root, True, leaves, side)
    calls = [n for n in graph.nodes if n.op == "call_module" and n.target in side]
    called = [str(n.target) for n in calls]
    for path in sorted(side):
        if not called.count(path):
            raise SpecError(f"{problem}: forward calls {path} in neither evaluation nor training mode (remove it)")
        if called.count(path) > 1:
            raise SpecError(
                f"{problem}: {path} runs only in training, where it is called {called.count(path)} times; "
                "cnncalc follows a training-only branch called once, on one tensor"
            )
    return graph


def side_branch(walk: Walk, target: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A module that runs only in training, as a :class:`~cnncalc.SideBranch` on the tensor it reads.

    The branch's layers are traced on their own and must form a chain. The
    tensor it reads is passed on unchanged, so the rest of the graph reads
    the side branch's output from then on, which keeps the branch in the
    graph; the module's own output is :class:`Opaque`, since only training
    uses it.
    """
    from ..blocks import SideBranch

    x = args[0] if len(args) == 1 and not kwargs else None
    if not isinstance(x, Tensor):
        raise Unsupported("a module that runs only in training is followed when called on one tensor")
    module = walk.root.get_submodule(target)
    branch = trace_module(module, [x.shape], target)
    chain: list[Layer] = []
    tensor = branch.outputs[0]
    while tensor.layer is not None and len(tensor.inputs) == 1:
        chain.append(tensor.layer)
        tensor = tensor.inputs[0]
    if len(branch.outputs) != 1 or tensor.layer is not None or len(chain) != len(branch.records):
        raise Unsupported(f"{target} runs only in training, and cnncalc follows such a branch when it is a chain")
    out = walk.apply(SideBranch(chain[::-1], name=target), [x], target, id(module))
    walk.values[walk.node.args[0]] = out  # later readers of the input read it through the side branch
    return Opaque(f"the output of {target}, which runs only in training")


def _placeholder(node: Any, placeholders: list[Any], shapes: list[tuple[int, ...]], inputs: list[Tensor]) -> Any:
    index = placeholders.index(node)
    if index < len(shapes):
        tensor = Input(shapes[index], name=str(node.target))
        inputs.append(tensor)
        return tensor
    if node.args:  # an argument with a default, left as it is
        return node.args[0]
    count = len(placeholders)
    raise Unsupported(
        f"forward takes {count} arguments but {len(shapes)} input shape{'s' if len(shapes) != 1 else ''} "
        f"{'were' if len(shapes) != 1 else 'was'} given; give one shape per tensor argument, as a list"
    )


def _get_attr(root: Any, target: str) -> Any:
    import torch

    value = _attribute(root, target)
    if isinstance(value, torch.Tensor):
        return Param(target, tuple(value.shape), isinstance(value, torch.nn.Parameter) and value.requires_grad)
    return value


def _tensors(value: Any) -> list[Tensor]:
    """The tensors in a returned value (a tensor, a tuple or list, a dict or named tuple of them)."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors(item)]
    return []


__all__ = ["BATCH", "Opaque", "Param", "Unsupported", "Walk", "class_key", "describe", "named", "trace_module"]
