import sys

from yanta_desktop.app import main

sys.exit(main())
