"""Entry script of the frozen app: the same `main` as the `aiviewer` command."""

import sys

from aiviewer.cli import main

if __name__ == "__main__":
    sys.exit(main())
