"""Where the real-format sample files of the tests live."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
