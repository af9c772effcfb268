"""Build hook for the optional C accelerators; the metadata is in setup.cfg.

``multistatus/_model/_cvalues.c`` building values (see ``multistatus/_model/_accel.py``),
``multistatus/_xml/_cwriter.c`` writing properties (see ``multistatus/_xml/_writer.py``).
Both are optional: without a C compiler the build leaves them out and the library
runs the same pure-Python code.
"""

from setuptools import Extension, setup

# Shared by the two modules (package data too, so that an sdist carries it).
HEADERS = ["multistatus/_slots.h"]

setup(
    ext_modules=[
        Extension("multistatus._model._cvalues", ["multistatus/_model/_cvalues.c"], depends=HEADERS, optional=True),
        Extension("multistatus._xml._cwriter", ["multistatus/_xml/_cwriter.c"], depends=HEADERS, optional=True),
    ]
)
