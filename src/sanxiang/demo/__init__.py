"""The demo county: a seeded generator of realistic registry data (and, in later issues,
cases) for one Inner Mongolia banner, reused at larger scale by the benchmarks."""
