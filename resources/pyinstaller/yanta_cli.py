import sys

from yanta_desktop.cli import main

sys.exit(main())
