"""A part's share of its whole: defined once for the model, the charts and the exports.

A whole can be zero. A segment whose weight is 0 still has sub-segments (of nothing), a
dimension of a market that has declined steeply enough adds up to nothing (a float
underflows to 0), and so does the served part of such a market. A share of nothing is
undefined: NaN, which every formatter shows as "n/a", never a division error.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["served_share", "share_of"]


def share_of(part: ArrayLike, whole: ArrayLike) -> np.ndarray:
    """``part / whole`` (a fraction: 0.25, not 25), NaN where ``whole`` is zero.

    Works on numbers and on arrays that broadcast; ``float(share_of(1.0, 4.0))`` for one.
    """
    part, whole = np.asarray(part, dtype=float), np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole != 0, np.divide(part, whole), np.nan)


def served_share(part: ArrayLike, whole: ArrayLike) -> np.ndarray:
    """The fraction of ``whole`` that ``part`` serves: :func:`share_of`, at most 1 (picks
    that add up to a little more than their whole by rounding), and 0 where the whole is
    zero: a market of nothing serves nothing."""
    served: np.ndarray = np.minimum(np.nan_to_num(share_of(part, whole), nan=0.0), 1.0)
    return served
