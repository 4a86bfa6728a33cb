"""`python -m postil`: the same as the `postil` console script."""

from postil.tui.startup import main

if __name__ == "__main__":
    main()
