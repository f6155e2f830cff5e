"""framelens: compare how news outlets frame the same event.

Modules are plain functions, DataFrames in and tidy DataFrames out:

- :mod:`framelens.corpus`   load and validate a folder of articles, clean page furniture
- :mod:`framelens.features` TF-IDF, similarity, clustering and its stability
- :mod:`framelens.plots`    one matplotlib style for every figure

Nothing runs or prints at import.
"""
from __future__ import annotations

__version__ = "0.1.0"
