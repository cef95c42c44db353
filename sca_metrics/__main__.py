import sys

from sca_metrics.cli import main

sys.exit(main())
