"""``python -m cnncalc``: see :mod:`cnncalc.cli`."""

import sys

from .cli import main

sys.exit(main())
