"""`python -m services.enricher …` = the `newswire` command."""

import sys

from services.enricher.cli import main

sys.exit(main())
