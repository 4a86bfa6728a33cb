"""`python -m tui`: the same as the `postil` console script."""

from tui.launch import main

if __name__ == "__main__":
    main()
