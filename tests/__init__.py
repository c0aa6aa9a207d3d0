"""The tests, also a package so benchmarks can borrow their synthetic drawings (tests.synthetic)."""
