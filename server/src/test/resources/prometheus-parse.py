# Parses Prometheus text exposition from standard input with the Prometheus project's own Python
# client (python3-prometheus-client) and prints the families as JSON, for PrometheusMetricsTest.
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = [
    {
        "name": family.name,
        "type": family.type,
        "samples": [
            {"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples
        ],
    }
    for family in text_string_to_metric_families(sys.stdin.read())
]
json.dump(families, sys.stdout)
