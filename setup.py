"""Build hook for the optional C accelerator; the metadata is in setup.cfg.

``multistatus/_xml/_speedups.c`` speeds up reading XML (see ``multistatus/_xml/_accel.py``).
It is optional: without a C compiler the build leaves it out and the library
runs the same pure-Python code.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("multistatus._xml._speedups", ["multistatus/_xml/_speedups.c"], optional=True)])
