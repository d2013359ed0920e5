"""雁塔知识产权强县填报 (Yanta Desktop).

The domain packages (plan, forms, store, packets, consolidate) never import Qt;
the CLI (``yanta_desktop.cli``) and the GUI (``yanta_desktop.ui``) sit on top of them.
"""

__version__ = "0.1.0"
