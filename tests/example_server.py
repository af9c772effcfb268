"""Start a program of examples/ as a server on 127.0.0.1 for the tests, bounded in time.

``python tests/example_server.py LIFETIME PATH ARGS...`` runs *PATH* as ``__main__``
with *ARGS*, and exits by itself after *LIFETIME* seconds whatever happens.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading

if __name__ == "__main__":
    lifetime, path, *args = sys.argv[1:]
    timer = threading.Timer(float(lifetime), os._exit, (0,))
    timer.daemon = True
    timer.start()
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    runpy.run_path(path, run_name="__main__")
