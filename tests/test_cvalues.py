"""The model's C constructors (``multistatus/_model/_cvalues.c``) build what Python builds.

``Element(...)`` and property mappings (``PropStat({...})``, ``Results.propfind``)
go to the C module first when it is built; it takes only the plain shapes and
answers "no" for everything else, errors included, which the Python
constructors then report.  Here random arguments, valid and not, are built both
ways and must give equal values or the same error.  The model test modules also
run whole with each (``constructors`` in ``conftest.py``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus._limits import MAX_NESTING
from multistatus._model import _accel, _element
from tests.conftest import python_constructors, scaled
from tests.strategies import documents

SETTINGS = scaled(2)
needs_c = pytest.mark.skipif(_element._c_element_init is None, reason="multistatus._model._cvalues is not built")

NAMES = st.sampled_from(
    [
        "{DAV:}getetag",
        "{urn:x}Grüße",
        "plain",
        "{}plain",
        "xmlns",
        "{}xmlns",
        "{http://www.w3.org/2000/xmlns/}x",
        "1bad",
        "{DAV:}",
        "{DAV:}a b",
        "{DAV:getetag",
    ]
)
TEXTS = st.one_of(
    st.sampled_from(["", "text", "a\tb\nc\rd", "\x00", "\x1f", "\x7f", "\ud800", "\ufffe", "\uffff", "€", "😀"]),
    st.text(max_size=6),
)


def leaf() -> st.SearchStrategy[ms.Element]:
    return st.builds(ms.Element, st.sampled_from(["{urn:x}a", "{DAV:}b", "c"]), st.lists(TEXTS.filter(_ok), max_size=2))


def _ok(text: str) -> bool:
    try:
        _element.check_text(text)
    except ValueError:
        return False
    return True


ITEMS = st.one_of(TEXTS, leaf(), st.sampled_from([1, None, b"bytes", 2.5]))
CHILDREN = st.one_of(
    TEXTS,
    st.lists(ITEMS, max_size=4),
    st.lists(ITEMS, max_size=4).map(tuple),
    st.sampled_from([None, 3, b"x", {"a": "b"}]),
    leaf(),
)
ATTRIBUTES = st.one_of(
    st.none(),
    st.dictionaries(
        st.one_of(NAMES, st.sampled_from(["k", "{}k", "{urn:x}k"])), st.one_of(TEXTS, st.just(1)), max_size=3
    ),
    st.sampled_from([{}, [("k", "v")], {"k": "v", "{}k": "w"}]),
)
VALUES = st.one_of(st.none(), TEXTS, leaf(), st.lists(ITEMS, max_size=3), st.sampled_from([1, b"x", {"a": "b"}]))


def outcome(build: Callable[[], object]) -> object:
    """The value built, or the type and message of the error raised."""
    try:
        return build()
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)


def both(build: Callable[[], object]) -> tuple[object, object]:
    fast = outcome(build)
    with python_constructors():
        slow = outcome(build)
    return fast, slow


@needs_c
@SETTINGS
@given(NAMES, CHILDREN, ATTRIBUTES)
def test_elements_are_built_the_same_both_ways(tag: str, children: object, attributes: object) -> None:
    fast, slow = both(lambda: ms.Element(tag, children, attributes))  # type: ignore[arg-type]
    assert fast == slow
    assert repr(fast) == repr(slow)


@needs_c
@SETTINGS
@given(st.dictionaries(NAMES, VALUES, max_size=4), st.sampled_from([200, 207, 404, 403]))
def test_property_maps_are_built_the_same_both_ways(props: dict[str, object], status: int) -> None:
    fast, slow = both(lambda: ms.PropStat(props, status))
    assert fast == slow
    assert repr(fast) == repr(slow)


@needs_c
@pytest.mark.parametrize("depth", [MAX_NESTING - 2, MAX_NESTING - 1, MAX_NESTING])
def test_the_nesting_limit_is_the_same(depth: int) -> None:
    def build() -> ms.Element:
        element = ms.Element("{urn:x}e", "leaf")
        for _ in range(depth):
            element = ms.Element("{urn:x}e", [element])
        return element

    fast, slow = both(build)
    assert fast == slow
    assert isinstance(fast, tuple) == (depth >= MAX_NESTING)


@needs_c
def test_names_are_checked_by_python_the_first_time() -> None:
    """Only names Python has checked and cached are taken; a new one goes to Python once."""
    name = "{urn:first-time}fresh"
    assert name not in _element._name_cache
    element = ms.Element(name, "t")
    assert name in _element._name_cache
    assert ms.Element(name, "t") == element


@needs_c
def test_values_built_are_left_to_reference_counting() -> None:
    """Values that hold no cycle are untracked, as CPython does for such tuples."""

    def build() -> tuple[ms.Element, ms.Element, ms.Property]:
        inner = ms.Element("{urn:x}tag", ["r&d"], {"kind": "color"})
        outer = ms.Element("{urn:x}meta", [inner, "tail"])
        (prop,) = ms.PropStat({"{urn:x}meta": [outer]}).props
        return inner, outer, prop

    build()  # the first time, Python checks (and caches) the names
    inner, outer, prop = build()
    for value in (inner, outer, outer.children, inner.attributes, prop, prop.value):
        assert not gc.is_tracked(value), value


@needs_c
def test_a_subclass_is_built_by_python() -> None:
    class Mine(ms.Element):
        __slots__ = ()

    mine = Mine("{urn:x}a", ["t"])
    assert type(mine) is Mine
    assert mine.children == ("t",)


@needs_c
def test_the_c_functions_check_their_arguments() -> None:
    module = pytest.importorskip("multistatus._model._cvalues")
    with pytest.raises(TypeError, match="4 arguments"):
        module.element_init(ms.Element("{DAV:}a"))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="2 arguments"):
        module.mapped_props({})  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="6 arguments"):
        module.setup()  # type: ignore[call-arg]
    assert module.mapped_props([("{DAV:}a", "b")], True) is None  # not a dict: Python's


def test_the_switch_to_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTISTATUS_PURE_PYTHON", "1")
    assert _accel.load() is None


def test_a_module_that_refuses_the_classes_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    module = pytest.importorskip("multistatus._model._cvalues")

    def refuse(*args: object) -> None:
        raise TypeError("Property.name is not a slot")

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setattr(module, "setup", refuse)
    assert _accel.load() is None


def test_without_the_module_python_builds_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setitem(sys.modules, "multistatus._model._cvalues", None)  # import raises ImportError
    assert _accel.load() is None


# -- Response's plain path ---------------------------------------------------------

HREF_TEXTS = st.sampled_from(["/a", " /padded ", "", " ", "/\x00", "/ü", "http://h/x"])
OPTIONAL_TEXTS = st.one_of(st.none(), HREF_TEXTS, st.just(5))


@SETTINGS
@given(
    HREF_TEXTS,
    st.sampled_from(
        [
            None,
            200,
            201,
            423,
            100,
            "HTTP/1.1 404 Not Found",
            "bogus",
            2.5,
            ms.Status(201),
            ms.Status(101),
            ms.Status(409, "Mine"),
        ]
    ),
    st.sampled_from([(), [ms.PropStat({"{DAV:}a": "1"})], (ms.PropStat(),), ["not a propstat"]]),
    st.sampled_from([None, ms.Error(code="x"), ms.Error(), "not an error"]),
    OPTIONAL_TEXTS,
    OPTIONAL_TEXTS,
    OPTIONAL_TEXTS,
    st.sampled_from([None, {}, {"ETag": '"1"'}]),
)
def test_one_href_builds_what_the_general_path_builds(
    href: str,
    status: object,
    propstats: object,
    error: object,
    description: object,
    location: object,
    id: object,  # noqa: A002
    headers: dict[str, str] | None,
) -> None:
    """``Response(href, ...)`` takes a plain path; ``Response(hrefs=[href], ...)`` the general one."""
    args = {
        "status": status,
        "propstats": propstats,
        "error": error,
        "description": description,
        "location": location,
        "id": id,
    }
    plain = outcome(lambda: ms.Response(href, headers=headers, **args))  # type: ignore[arg-type]
    general = outcome(lambda: ms.Response(hrefs=[href], headers=headers, **args))  # type: ignore[arg-type]
    assert plain == general
    assert repr(plain) == repr(general)


def test_subclasses_keep_their_class() -> None:
    """The plain paths fill the slots through a twin class and switch back: never for a subclass."""

    class MyProperty(ms.Property):
        __slots__ = ()

    class MyPropStat(ms.PropStat):
        __slots__ = ()

    class MyResponse(ms.Response):
        __slots__ = ()

    prop = MyProperty("{DAV:}a", "1")
    propstat = MyPropStat([prop], 200)
    response = MyResponse("/a", propstats=[propstat])
    assert (type(prop), type(propstat), type(response)) == (MyProperty, MyPropStat, MyResponse)
    assert response.propstats[0].props[0].value == "1"


PROBLEM_KEYS = st.sampled_from(["code", "message", "title", "status", "conditions", "1bad", "x y", "détail"])
PROBLEM_VALUES = st.one_of(TEXTS, st.integers(-2, 600), st.none(), st.lists(st.integers(), max_size=2))


@SETTINGS
@given(st.dictionaries(PROBLEM_KEYS, PROBLEM_VALUES, max_size=4))
def test_errors_of_text_members_build_what_the_general_path_builds(problem: dict[str, object]) -> None:
    """The plain path takes member names checked before; with none known, every error takes the general one."""
    from multistatus._model import _error

    known = set(_error._KEYS)
    _error._KEYS.clear()
    try:
        general = outcome(lambda: ms.Error(problem=problem))
    finally:
        _error._KEYS.update(known)
    outcome(lambda: ms.Error(problem=problem))  # (the names are known now, where valid)
    plain = outcome(lambda: ms.Error(problem=problem))
    assert plain == general
    assert repr(plain) == repr(general)


@SETTINGS
@given(documents())
def test_the_summary_counts_what_the_tally_counts(doc: ms.MultiStatus) -> None:
    """Summary.of counts the status form inline; Tally.add counts one response at a time."""
    from multistatus._model._document import Tally

    tally = Tally()
    for response in doc.responses:
        tally.add(response)
    truncated = ms.Response("/t", status=507, error=ms.Error(["{DAV:}number-of-matches-within-limits"]))
    assert ms.Summary.of(doc.responses) == tally.summary()
    tally.add(truncated)
    assert ms.Summary.of((*doc.responses, truncated)) == tally.summary()
    assert tally.summary().truncated


def test_attributes_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="attributes must be a mapping"):
        ms.Element("{DAV:}a", attributes=[("k", "v")])  # type: ignore[arg-type]


def test_an_unhashable_missing_name_is_refused_by_property() -> None:
    with pytest.raises(TypeError, match="property name must be a str"):
        ms.Results().propfind("/a", missing=[["not", "a", "name"]])  # type: ignore[list-item]
    response = ms.Results().propfind("/a", missing=iter(["{DAV:}a", "{DAV:}a"]))  # a repeat stays twice
    assert response.propstats[0].names == ("{DAV:}a", "{DAV:}a")


@needs_c
@pytest.mark.parametrize("change", ["grow", "shrink"])
def test_a_mapping_changed_by_a_finalizer_while_it_is_built_is_left_to_python(change: str) -> None:
    """Building allocates; a collection may run a finalizer that changes the mapping being read."""
    props: dict[str, object] = {f"{{DAV:}}p{i}": [ms.Element("{DAV:}e", "x")] for i in range(50)}
    ms.PropStat(props)  # (the names are checked and cached now)

    class Meddler:
        def __del__(self) -> None:
            if change == "grow":
                props.update({f"{{DAV:}}q{i}": "new" for i in range(20)})
            else:
                props.clear()

    thresholds = gc.get_threshold()
    gc.collect()
    gc.set_threshold(1)  # (restored below: a collection at almost every allocation)
    try:
        meddler = Meddler()
        meddler.cycle = meddler  # type: ignore[attr-defined]  # only a collection frees it
        del meddler
        built = ms.PropStat(props)
    finally:
        gc.set_threshold(*thresholds)
    assert isinstance(built, ms.PropStat)
    assert built == ms.PropStat(props)  # whatever the mapping holds once it is read


def test_values_never_set_up_are_reported_by_python() -> None:
    """An Element made with object.__new__ has no slots: both paths raise AttributeError, never crash."""
    hollow = object.__new__(ms.Element)
    with pytest.raises(AttributeError):
        ms.Element("{DAV:}a", [hollow])
    prop = ms.Property("{DAV:}a", [ms.Element("{DAV:}x")])
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([prop])])])
    object.__setattr__(prop, "value", (hollow,))
    for write in (ms.to_xml, ms.to_json):
        with pytest.raises(AttributeError):
            write(doc)


def test_a_str_subclass_name_is_checked_not_cached() -> None:
    class Odd(str):
        __hash__ = str.__hash__

        def __eq__(self, other: object) -> bool:
            raise KeyError("an __eq__ of its own")

    name = Odd("{urn:odd}name")
    assert ms.Element(name).tag == "{urn:odd}name"
    assert ms.Element("{urn:odd}name", attributes={"{urn:odd}name": "x"}).attributes == {"{urn:odd}name": "x"}
    assert ms.PropStat({"{urn:odd}name": "x"}).names == ("{urn:odd}name",)


def test_an_element_set_up_twice_is_seen_by_the_collector_again() -> None:
    ms.Element("{DAV:}a")
    element = ms.Element("{DAV:}a")
    ms.Element.__init__(element, "{DAV:}a", [element])  # (misuse: a frozen value set up again, now a cycle)
    assert gc.is_tracked(element)
