"""A batch server for tests/test_idempotency_servers.py: the demo's batch endpoint on a free port.

``python tests/idempotency_server.py DATA STORE LEASE QUOTA [hang]`` serves
``POST /batch`` (:func:`multistatus.demo.batch_app`, request and item keys) and
``GET /batch/items`` over the data folder *DATA* and the key store *STORE*
(``sqlite:PATH``, ``redis://...``, ``memory:``), and prints
``listening on http://127.0.0.1:PORT``.  With ``hang``, saving an item named
``hang`` first creates ``DATA/entered`` and then waits forever: the test kills
the process there, mid-request, with the key claimed and nothing saved.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from multistatus.demo import batch_app
from multistatus.demo._saved import ITEMS_FILE, SavedItems, open_store
from multistatus.idempotency import Idempotency


class Quiet(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's signature
        pass


def main(data: Path, store: str, lease: float, quota: int, hang: bool) -> None:
    saved = SavedItems(data / ITEMS_FILE)

    def save(item_id: str, name: str, item: object) -> None:
        if hang and name == "hang":
            (data / "entered").touch()
            while True:
                time.sleep(1)
        saved.save(item_id, name, item)

    batch = batch_app(save=save, idempotency=Idempotency(open_store(store, data), lease=lease), quota=quota)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/batch/items":
            body = json.dumps(saved.listing()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return batch(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    print(f"listening on http://127.0.0.1:{server.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5:] == ["hang"])
