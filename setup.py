"""Build the optional C word scanner, framelens.textscan; the rest is in pyproject.toml.

``pip install -e .`` (as ``make env`` runs it) compiles it. It is optional: without
a C compiler or the Python headers the install goes on without it, and
:mod:`framelens.text` uses Python's ``re`` instead, :mod:`framelens.lexicon`
pyahocorasick for its literal terms (``framelens.text.WORD_ENGINE`` says which one is
in use; both give the same tokens and hits).
"""
from __future__ import annotations

from setuptools import Extension, setup

setup(ext_modules=[Extension("framelens.textscan", ["src/framelens/textscan.c"], optional=True)])
