"""Importing volunteer lists (.xlsx and .csv) as Youth Union units keep them.

- ``reading``: the file alone, no database: finds the header, reads the rows, normalises and
  validates each cell (also used by the procedure catalogue import);
- ``service``: the rows against the database: the preview (units, matches, create / update /
  unchanged / error) and the atomic apply;
- ``jobs``: a long list read by the background worker, with its progress;
- ``uploads``: where uploaded files wait between the upload and the import, and for how long;
- ``views``: the upload → preview → confirm pages.
"""
