"""`python -m tui`: the same as the `postil` console script."""

from tui.cli import main

if __name__ == "__main__":
    main()
