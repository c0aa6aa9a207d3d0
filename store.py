"""Check data.json from a terminal, import into it, export from it, merge a class's files into it.

    python store.py                                  # check data.json next to this file, count its samples
    python store.py --data other.json
    python store.py import idx IMAGES LABELS         # also: import folder FOLDER, import mling OTHER.json
    python store.py export png OUT_DIR               # also: export idx OUT_PREFIX [--gzip]
    python store.py merge ada.json ben.json          # each drawing tagged with who drew it

`python store.py -h` lists every option. The code is mling/store_cli.py; the store is mling/store.py.
"""
import sys

from mling.store_cli import main

if __name__ == "__main__":
    sys.exit(main())
