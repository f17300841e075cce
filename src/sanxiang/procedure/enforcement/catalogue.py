"""行政强制执行's procedure in the catalogue: registered here."""
