"""`python -m budget_cli …` runs the console script."""

import sys

from budget_cli.main import main

sys.exit(main())
