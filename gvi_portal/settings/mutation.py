"""Settings for `make mutation` (mutmut): the test settings with a test database kept on disk.

mutmut runs the selected tests once per mutant; with `--reuse-db` the migrated test database is made once,
not once per mutant (minutes each on a small machine). It lives in mutants/var/, which mutmut owns.
"""

import copy

from .test import *  # noqa: F403
from .test import DATABASES as TEST_DATABASES
from .test import VAR_DIR

VAR_DIR.mkdir(exist_ok=True)
# A copy: importing this module (a test that imports every module does) must not change the test settings'
# own dictionary, which the running test database connection shares.
DATABASES = copy.deepcopy(TEST_DATABASES)
DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "mutation-test.sqlite3")}
