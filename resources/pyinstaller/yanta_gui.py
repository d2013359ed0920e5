import multiprocessing
import sys

if __name__ == "__main__":
    # Large imports verify packets in worker processes; a frozen bundle must route those children.
    multiprocessing.freeze_support()
    from yanta_desktop.app import main

    sys.exit(main())
