"""The demo's batch endpoint with idempotency keys: what it saves, ``GET /batch/items``, ``--store``.

Through the public API (``multistatus.demo.make_app``, ``run``, the ``multistatus demo`` command)
and ``werkzeug.test.Client``; the real-server runs, across processes, are in
``tests/test_idempotency_servers.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client

import multistatus as ms
from multistatus import demo
from multistatus.cli import main
from multistatus.idempotency import MemoryStore, SQLiteStore


def _client(tmp_path: Path, **kwargs: object) -> Client:
    return Client(LintMiddleware(demo.make_app(data=tmp_path, **kwargs)))  # type: ignore[arg-type]


def _items(client: Client) -> dict[str, int]:
    r = client.get("/batch/items")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    return {entry["id"]: entry["saves"] for entry in r.json}


def test_items_with_keys_are_saved_once_and_replayed_in_both_representations(tmp_path: Path) -> None:
    client = _client(tmp_path)
    items = [{"id": str(i), "name": f"n{i}", "idempotency_key": f"k{i}"} for i in range(3)]
    first = ms.from_json(client.post("/batch", json=items).data)
    assert [r.replayed for r in first] == [False, False, False]
    resent = client.post("/batch", json=[*items, {"id": "9", "name": "new", "idempotency_key": "k9"}],
                         headers={"Accept": "application/xml"})  # fmt: skip
    doc = ms.from_xml(resent.data)
    assert [(r.href, r.status_code, r.replayed) for r in doc] == [
        ("/items/0", 201, True),
        ("/items/1", 201, True),
        ("/items/2", 201, True),
        ("/items/9", 201, False),
    ]
    assert b"<ms:replayed/>" in resent.data
    assert _items(client) == {"0": 1, "1": 1, "2": 1, "9": 1}


def test_a_rate_limited_item_is_not_kept_and_its_retry_runs(tmp_path: Path) -> None:
    client = _client(tmp_path, quota=2)
    items = [{"id": str(i), "name": f"n{i}", "idempotency_key": f"k{i}"} for i in range(3)]
    first = ms.from_json(client.post("/batch", json=items).data)
    assert [r.status_code for r in first] == [201, 201, 429]
    again = ms.from_json(client.post("/batch", json=items).data)
    assert [(r.status_code, r.replayed) for r in again] == [(201, True), (201, True), (201, False)]
    assert _items(client) == {"0": 1, "1": 1, "2": 1}


def test_items_without_keys_are_saved_each_time(tmp_path: Path) -> None:
    client = _client(tmp_path)
    for _ in range(3):
        assert client.post("/batch", json=[{"id": "a", "name": "apple"}]).status_code == 207
    assert _items(client) == {"a": 3}
    assert client.get("/batch/items").json == [{"id": "a", "saves": 3, "name": "apple"}]


def test_an_item_key_reused_with_another_payload_is_refused_with_422(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/batch", json=[{"id": "1", "name": "apple", "idempotency_key": "k"}])
    r = ms.from_json(client.post("/batch", json=[{"id": "1", "name": "pear", "idempotency_key": "k"}]).data)
    (item,) = r.responses
    assert item.status_code == 422
    assert item.error is not None
    assert item.error.problem["title"] == "Idempotency-Key is already used"
    assert _items(client) == {"1": 1}


def test_the_get_dry_run_saves_nothing(tmp_path: Path) -> None:
    client = _client(tmp_path)
    assert client.get("/batch").status_code == 207
    assert client.get("/batch/items").json == []
    assert client.head("/batch/items").data == b""


def test_a_request_key_runs_the_batch_once_and_replays_it(tmp_path: Path) -> None:
    client = _client(tmp_path)
    body = list(demo.SAMPLE_ITEMS)
    first = client.post("/batch", json=body, headers={"Idempotency-Key": '"r-1"'})
    again = client.post("/batch", json=body, headers={"Idempotency-Key": "r-1", "Accept": "application/xml"})
    assert first.headers.get("Idempotent-Replayed") is None
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Idempotency-Retention"] == again.headers["Idempotency-Retention"] == "86400"
    assert ms.from_xml(again.data) == ms.from_json(first.data)
    assert sum(_items(client).values()) == 7  # (seven saved, three failed: once)
    changed = client.post("/batch", json=body[:2], headers={"Idempotency-Key": "r-1"})
    assert changed.status_code == 422
    assert changed.headers["Content-Type"] == "application/problem+json"


def test_items_listing_without_data_and_for_other_methods(tmp_path: Path) -> None:
    assert Client(demo.make_app()).get("/batch/items").status_code == 404
    r = _client(tmp_path).post("/batch/items", json=[])
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD"


def test_two_apps_on_one_data_folder_share_the_saved_items_and_the_keys(tmp_path: Path) -> None:
    one, two = _client(tmp_path), _client(tmp_path)
    item = [{"id": "x", "name": "shared", "idempotency_key": "kx"}]
    one.post("/batch", json=item)
    assert ms.from_json(two.post("/batch", json=item).data).responses[0].replayed
    assert _items(one) == _items(two) == {"x": 1}


@pytest.mark.parametrize(
    ("store", "kind"),
    [
        pytest.param("memory:", MemoryStore, id="memory"),
        pytest.param("sqlite:{tmp}/other.db", SQLiteStore, id="sqlite-url"),
        pytest.param(None, SQLiteStore, id="default-beside-the-data"),
    ],
)
def test_store_urls(tmp_path: Path, store: str | None, kind: type) -> None:
    from multistatus.demo._saved import open_store

    opened = open_store(None if store is None else store.format(tmp=tmp_path), tmp_path)
    assert isinstance(opened, kind)
    client = _client(tmp_path, store=opened)
    item = [{"id": "1", "name": "a", "idempotency_key": "k"}]
    client.post("/batch", json=item)
    assert ms.from_json(client.post("/batch", json=item).data).responses[0].replayed


def test_a_store_without_data_keeps_keys_but_saves_nothing() -> None:
    client = Client(demo.make_app(store="memory:"))
    item = [{"id": "1", "name": "a", "idempotency_key": "k"}]
    client.post("/batch", json=item)
    assert ms.from_json(client.post("/batch", json=item).data).responses[0].replayed
    assert client.get("/batch/items").status_code == 404


def test_a_bad_store_url_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.run(self_test=True, data=tmp_path, store="ftp://nowhere") == 2
    assert "use sqlite:PATH, redis://HOST:PORT/DB or memory:" in capsys.readouterr().out
    from multistatus.demo._saved import open_store

    with pytest.raises(ValueError, match="the default store is a file in the data folder"):
        open_store(None, None)


def test_the_demo_command_takes_data_store_and_lease(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "demo-data"
    assert main(["demo", "--self-test", "--data", str(data), "--store", "memory:", "--lease", "5"]) == 0
    assert capsys.readouterr().out.count("ok ") == 5
    saved = {entry["id"]: entry["saves"] for entry in demo_items(data)}
    assert saved["1"] == 3  # (the JSON, the XML and the first keyed check saved it; the replay did not)


def demo_items(data: Path) -> list[dict[str, object]]:
    from multistatus.demo._saved import ITEMS_FILE, SavedItems

    items = SavedItems(data / ITEMS_FILE)
    try:
        return items.listing()
    finally:
        items.close()
        items.close()  # (twice: the second has nothing to close)


def test_curl_commands_show_the_keys_and_the_listing() -> None:
    text = "\n".join(demo.curl_commands("http://127.0.0.1:8000"))
    assert "Idempotency-Key" in text
    assert "/batch/items" in text
    json.loads(text.split("-d '")[1].split("'")[0])
