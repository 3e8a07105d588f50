"""Where uploaded volunteer lists wait between the upload and the import, and for how long.

The files hold personal data. The upload views delete them after the import and drop older ones at
each upload; the retention job (``reports.retention``) deletes what is still there after
``KEEP_FOR``. Both read these values here rather than from the views.
"""

from __future__ import annotations

import datetime as dt

UPLOAD_DIR = "imports"  # in the private storage, never served over HTTP
KEEP_FOR = dt.timedelta(hours=24)
