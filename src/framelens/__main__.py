"""``python -m framelens``: the :mod:`framelens.cli` command line."""
from __future__ import annotations

import sys

from framelens.cli import main

if __name__ == "__main__":
    sys.exit(main())
