"""Sphinx configuration for the multistatus documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
The build never touches the network: intersphinx reads only inventories that
are installed locally (Debian/Ubuntu packages ``python3-doc``,
``python-werkzeug-doc``, ``python-lxml-doc``), and links to a project only
when its inventory is there, so the build passes with ``-W`` without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Document the checkout, not whatever copy happens to be installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import multistatus

project = "multistatus"
author = "multistatus developers"
copyright = "multistatus developers"  # noqa: A001 - the name Sphinx reads
release = multistatus.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]

exclude_patterns = ["_build"]
root_doc = "index"
language = "en"
default_role = "code"
pygments_style = "sphinx"

# -- autodoc / napoleon -------------------------------------------------------
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autodoc_default_options = {
    # Mapping / dataclass machinery is not API to document again on every class.
    "exclude-members": "__init__, __new__, __repr__, __eq__, __hash__, __iter__, __len__, __getitem__, __contains__",
}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# "Attributes:" sections become :ivar: fields rather than ``.. attribute::``
# directives, so they never clash with the members autodoc documents itself.
napoleon_use_ivar = True
napoleon_use_rtype = False

# -- intersphinx: local inventories only ------------------------------------
# Each entry: the online documentation the links point to, and the local
# objects.inv files to read instead of fetching it (first one found wins).
_LOCAL_INVENTORIES = {
    "python": (
        "https://docs.python.org/3",
        ["/usr/share/doc/python3/html/objects.inv", "/usr/share/doc/python3-doc/html/objects.inv"],
    ),
    "werkzeug": (
        "https://werkzeug.palletsprojects.com/en/stable",
        ["/usr/share/doc/python-werkzeug-doc/html/objects.inv"],
    ),
    "lxml": (
        "https://lxml.de/apidoc",
        [
            "/usr/share/doc/python-lxml/html/apidoc/objects.inv",
            "/usr/share/doc/python-lxml-doc/html/apidoc/objects.inv",
        ],
    ),
}
intersphinx_mapping = {
    name: (url, found)
    for name, (url, candidates) in _LOCAL_INVENTORIES.items()
    if (found := next((c for c in candidates if Path(c).is_file()), None)) is not None
}
intersphinx_timeout = 1  # never wait on the network, even if a path were a URL

# -- HTML ---------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"multistatus {release}"
html_theme_options = {
    "description": "RFC 4918 207 Multi-Status in XML and JSON",
    "fixed_sidebar": False,
}
html_static_path: list[str] = []
