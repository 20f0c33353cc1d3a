"""`python -m rasa_hooks <rasa arguments>`: Rasa's command line, with this project's hooks."""

from __future__ import annotations

import sys

from rasa_hooks import install


def main(argv: list[str]) -> None:
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]  # Rasa's parser reads sys.argv
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
