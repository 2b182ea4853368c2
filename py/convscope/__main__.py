"""``python -m convscope``: the command line (:mod:`convscope.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":  # the build imports every module to find what they import
    sys.exit(main())
