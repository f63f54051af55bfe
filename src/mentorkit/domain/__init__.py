"""The domain: one module per noun of the command line; plain functions over the model that
take `today` and do no I/O."""

from collections.abc import Iterable


def median(values: Iterable[float]) -> float:
    """`statistics.median`, which costs start-up time (it imports fractions and decimal):
    the middle value, or the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
