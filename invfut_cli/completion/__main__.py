"""``python -m invfut_cli.completion SHELL... [--write DIR]``: print or write the scripts."""

import sys

from . import main

sys.exit(main())
