"""Small statistics for noisy machines: percentiles, median of runs with min/max, peak memory."""

from __future__ import annotations

import math
import resource
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Spread:
    """The median of several runs with the smallest and largest run beside it."""

    median: float
    min: float
    max: float
    runs: tuple[float, ...]

    @staticmethod
    def of(values: Sequence[float]) -> Spread:
        if not values:
            return Spread(math.nan, math.nan, math.nan, ())
        return Spread(statistics.median(values), min(values), max(values), tuple(values))

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def fmt(self, digits: int = 1) -> str:
        if math.isnan(self.median):
            return "n/a"
        if len(self.runs) == 1:
            return f"{self.median:.{digits}f}"
        return f"{self.median:.{digits}f} [{self.min:.{digits}f}–{self.max:.{digits}f}]"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_rss_mb(pid: int | str) -> float:
    """Peak resident memory (VmHWM) of a running process ("self" for this one); NaN once it has gone."""
    return _proc_status_mb(pid, "VmHWM:")


def current_rss_mb() -> float:
    """Resident memory of this process now."""
    return _proc_status_mb("self", "VmRSS:")


def _proc_status_mb(pid: int | str, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan
