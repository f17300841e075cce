"""The 司法局's supervision of enforcement under 《行政执法监督条例》 (国务院令第825号, in force
2026-02-01): what a supervision matter is, who may act on it, and the periods of its instruments.

The national regulation leaves most periods to "规定时限"; the numbers used here come from the
provincial regulations (Sichuan, Hebei, Shandong, Chongqing) and live in `parameters/supervision.toml`,
marked unverified where the national text is silent.
"""
