"""Entry script of the frozen app: the same `main` as the `aiviewer` command."""

import multiprocessing
import sys

from aiviewer.cli import main

if __name__ == "__main__":
    # large imports read files in worker processes (spawn): in the frozen app a worker
    # is this executable started again, which freeze_support turns into the worker
    multiprocessing.freeze_support()
    sys.exit(main())
