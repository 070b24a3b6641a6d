"""``python -m invfut_cli``."""

from .launch import main

if __name__ == "__main__":
    main()
