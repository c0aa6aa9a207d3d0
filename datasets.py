"""Import and export datasets from a terminal (the code is mling/datasets.py)."""
import sys

from mling.datasets import main

if __name__ == "__main__":
    sys.exit(main())
