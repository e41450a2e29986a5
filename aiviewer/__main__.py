"""`python -m aiviewer` runs the CLI; with no subcommand it opens the GUI."""

from aiviewer.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
