"""Check data.json from a terminal and count its samples (the store itself is mling/store.py).

    python store.py                     # data.json next to this file
    python store.py --data other.json
"""
import sys

from mling.store import main

if __name__ == "__main__":
    sys.exit(main())
