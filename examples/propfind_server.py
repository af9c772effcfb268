"""A read-only WebDAV PROPFIND responder over a directory, on plain werkzeug.

    python examples/propfind_server.py [DIRECTORY] [--port 8002]

    curl -i -X PROPFIND http://127.0.0.1:8002/dav/ -H 'Depth: 1'
    curl -i -X PROPFIND http://127.0.0.1:8002/dav/ -H 'Depth: 0' \\
         -d '<propfind xmlns="DAV:"><prop><getetag/><quota-used-bytes/></prop></propfind>'

Depth 0 and 1, named properties, ``allprop`` and ``propname``; properties the
server does not have come back in a 404 propstat, and ``Prefer:
return=minimal`` drops those.  The responder is the one the demo
(``python -m multistatus demo``) mounts at ``/files/``: one implementation,
:func:`multistatus.demo.propfind_app`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from werkzeug.serving import run_simple

from multistatus.demo import propfind_app


def make_app(directory: str | Path) -> object:
    """The responder over *directory*, mounted at ``/dav/``."""
    return propfind_app(directory, prefix="/dav/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default=".", help="the folder to serve (default: .)")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, propfind_app(args.directory, prefix="/dav/"))


if __name__ == "__main__":
    main()
