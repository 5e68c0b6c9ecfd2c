"""Chinese numerals for the benchmark's synthesised meeting ordinals."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from wgindex.numerals import int_to_cn as cn  # noqa: E402,F401
