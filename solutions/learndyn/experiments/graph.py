"""The computation graph of a tiny network's loss, as your Tensor recorded it.

The loss of a 2-3-1 tanh network on four points, written with stage-1 ops only::

    hidden = tanh(x @ w1 + b1)          x: (4, 2)   w1: (2, 3)   b1: (3,)
    output = hidden @ w2 + b2           w2: (3, 1)  b2: (1,)
    loss   = mean((output - y) ** 2)    y: (4, 1)

Walking ``parents`` back from ``loss`` recovers every op and every leaf; the
depth of a node is the length of the longest path from a leaf to it, which is
also the order in which the forward pass could have computed it.  Backward
visits the same picture from right to left.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..tensor import Parameter, Tensor
from .arguments import integer


@dataclass
class GraphResult:
    """Nodes (one dict each: ``label``, ``shape``, ``kind``, ``depth``) and edges ``(parent, child)`` by index."""

    nodes: list[dict]
    edges: list[tuple[int, int]]
    loss: float

    def op_counts(self) -> dict[str, int]:
        return dict(Counter(node["label"] for node in self.nodes if node["kind"] == "op"))

    def summary(self) -> str:
        kinds = Counter(node["kind"] for node in self.nodes)
        ops = ", ".join(f"{op} x{count}" for op, count in sorted(self.op_counts().items()))
        return (f"loss = {self.loss:.4f}: a graph of {len(self.nodes)} nodes and {len(self.edges)} edges, "
                f"{kinds['op']} ops ({ops}), {kinds['parameter']} parameters, {kinds['constant']} constants; "
                f"{max(node['depth'] for node in self.nodes)} ops deep from the first leaf to the loss.")


def tiny_loss(seed: int = 0) -> tuple[Tensor, dict[str, Tensor]]:
    """The loss above, with parameters drawn from N(0, 1) and XOR-like data; also its named leaves."""
    rng = np.random.default_rng(seed)
    x = Tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = Tensor([[0.0], [1.0], [1.0], [0.0]])
    w1, b1 = Parameter(rng.normal(size=(2, 3))), Parameter(np.zeros(3))
    w2, b2 = Parameter(rng.normal(size=(3, 1))), Parameter(np.zeros(1))
    hidden = (x @ w1 + b1).tanh()
    output = hidden @ w2 + b2
    loss = ((output - y) ** 2).mean()
    return loss, {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2}


def run(seed: int = 0) -> GraphResult:
    """Record the tiny loss and read its graph back through ``parents`` and ``op``.

    Arguments (checked before any work):
        seed: int >= 0, draws the parameters
    """
    seed = integer("seed", seed, at_least=0)
    loss, leaves = tiny_loss(seed)
    names = {tensor: name for name, tensor in leaves.items()}
    index, order, stack = {}, [], [loss]
    while stack:  # every node reachable from the loss, each once
        node = stack.pop()
        if node in index:
            continue
        index[node] = len(order)
        order.append(node)
        stack.extend(node.parents)
    depth = {node: 0 for node in order}
    changed = True
    while changed:  # longest path from a leaf: relax until nothing changes (the graph is tiny)
        changed = False
        for node in order:
            best = max((depth[parent] + 1 for parent in node.parents), default=0)
            if best != depth[node]:
                depth[node], changed = best, True
    for node in order:  # draw each leaf just before its first use, not all in the first column
        if not node.parents:
            depth[node] = min(depth[child] for child in order if any(p is node for p in child.parents)) - 1
    nodes = [{
        "label": node.op or names.get(node, "-y"),  # the one unnamed leaf is -y, a constant made by `output - y`
        "shape": node.shape,
        "kind": "op" if node.op else ("parameter" if isinstance(node, Parameter) else "constant"),
        "depth": depth[node],
    } for node in order]
    edges = [(index[parent], index[node]) for node in order for parent in node.parents]
    return GraphResult(nodes, edges, loss.item())


def plot(result: GraphResult, path) -> None:
    """Nodes in columns by depth (leaves left, loss right), arrows from each parent to its child."""
    from matplotlib.patches import Rectangle

    from .figures import new_figure, save_figure

    columns: dict[int, list[int]] = {}
    for k, node in enumerate(result.nodes):
        columns.setdefault(node["depth"], []).append(k)
    position = {}
    for depth, members in columns.items():
        for row, k in enumerate(members):
            position[k] = (depth, (len(members) - 1) / 2 - row)
    colours = {"op": "#cfe2f3", "parameter": "#b6d7a8", "constant": "#e0e0e0"}
    fig, ax = new_figure(figsize=(12, 3.4))
    for parent, child in result.edges:
        (x0, y0), (x1, y1) = position[parent], position[child]
        ax.annotate("", xy=(x1 - 0.28, y1), xytext=(x0 + 0.28, y0),
                    arrowprops=dict(arrowstyle="->", color="0.4", lw=1, shrinkA=0, shrinkB=0))
    for k, node in enumerate(result.nodes):
        x, y = position[k]
        ax.text(x, y, f"{node['label']}\n{node['shape']}", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.35", fc=colours[node["kind"]], ec="0.3"))
    handles = [Rectangle((0, 0), 1, 1, fc=c, ec="0.3") for c in colours.values()]
    ax.legend(handles, ["op (records parents)", "Parameter (state of learning)", "constant / data"],
              loc="upper right", fontsize=9, frameon=False)
    tallest = max(len(members) for members in columns.values())
    ax.set(xlim=(-0.6, max(columns) + 0.6), ylim=(-tallest / 2 - 0.2, tallest / 2 + 0.5))
    ax.set_title(f"the graph of mean((tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2): {len(result.nodes)} nodes, "
                 f"{len(result.edges)} edges; backward walks it right to left")
    ax.axis("off")
    save_figure(fig, path)
