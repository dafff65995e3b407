"""Bookbinder's stylesheets (installed as the `bookbinder.styles` package; read with importlib.resources).

base.css is shared by every backend; epub.css and print.css are the layers on top of it.
"""
