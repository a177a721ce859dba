"""Allow `python -m packstation`."""

from packstation.cli import main

raise SystemExit(main())
