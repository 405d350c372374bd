import sys

from openfisca_cn_assist.cli.main import main

sys.exit(main())
