"""``python -m cnncalc``: the ``cnncalc`` command (see :mod:`cnncalc.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
