"""Per-op overhead: a small Tensor op (graph recorded) vs the bare NumPy call on 4x4 arrays."""
from __future__ import annotations

import numpy as np

from common import interleaved_medians, table, use_reference_engine

use_reference_engine()
from learndyn import Parameter  # noqa: E402


def main() -> str:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    ta, tb = Parameter(a), Parameter(b)
    times = interleaved_medians({
        "numpy add": lambda: a + b, "tensor add": lambda: ta + tb,
        "numpy matmul": lambda: a @ b, "tensor matmul": lambda: ta @ tb,
    }, repeats=15, inner=2000)
    rows = [[op, f"{times['numpy ' + op] * 1e9:.0f}", f"{times['tensor ' + op] * 1e9:.0f}",
             f"{times['tensor ' + op] / times['numpy ' + op]:.1f}x"] for op in ("add", "matmul")]
    return table(["op (4x4)", "NumPy (ns)", "Tensor (ns)", "ratio"], rows)


if __name__ == "__main__":
    print(main())
