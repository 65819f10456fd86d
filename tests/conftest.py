"""Session-wide isolation: no test writes to the user's real data, cache or autosave folders."""

from __future__ import annotations

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="netviz-tests-")
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"),
                   ("NETVIZ_AUTOSAVE_DIR", "autosave")):
    os.environ[_var] = os.path.join(_HOME, _sub)
