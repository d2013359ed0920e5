"""``python -m yanta_desktop``: the GUI with no command, the CLI otherwise."""

import sys

# Options the GUI understands; anything else (a command word) goes to the CLI.
_GUI_OPTIONS_WITH_VALUE = {"--data-dir", "--lang"}
_GUI_FLAGS = {"--self-test"}


def _is_gui(argv: list[str]) -> bool:
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GUI_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if arg in _GUI_FLAGS or any(arg.startswith(o + "=") for o in _GUI_OPTIONS_WITH_VALUE):
            i += 1
            continue
        return False
    return True


def run() -> int:
    if _is_gui(sys.argv[1:]):
        from .app import main as gui_main

        return gui_main()
    from .cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
