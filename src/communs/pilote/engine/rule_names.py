"""Names of the aggregation rules and of the directions, without numpy: the models import these when Django starts, the
calculations themselves (`engine.aggregation`, `engine.progress`) only when they run."""

SUM = "sum"
MEAN = "mean"
RATIO = "ratio"
NONE = "none"

INCREASING = "hausse"
DECREASING = "baisse"
