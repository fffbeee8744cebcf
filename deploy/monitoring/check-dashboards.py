#!/usr/bin/env python3
"""Checks the Grafana dashboards: each parses, every panel's PromQL is valid (promtool checks
it as a recording rule), and every metric a panel reads is one the services export, so a
renamed metric breaks the test command rather than a dashboard in production."""

import json
import pathlib
import re
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).parent

# What the services export (README, "Running it in production"), as Prometheus names them.
EXPORTED = {
    "rpc_server_call_duration_seconds_bucket",
    "rpc_server_call_duration_seconds_count",
    "rpc_server_call_duration_seconds_sum",
    "db_client_connection_count",
    "db_client_connection_max",
    "db_client_connection_pending_requests",
    "housing_outbox_pending",
    "housing_outbox_oldest_age_seconds",
    "messaging_consumer_lag",
    "messaging_consumer_redelivered",
    "messaging_consumer_unacknowledged",
    "messaging_consumer_dead_letters_total",
    "housing_job_last_success_seconds",
    "housing_rpc_denials_total",
    "up",
}
FUNCTIONS = {"sum", "max", "min", "rate", "increase", "histogram_quantile", "time", "by", "le"}


def main() -> int:
    problems = []
    rules = []
    dashboards = sorted((HERE / "dashboards").glob("*.json"))
    if not dashboards:
        problems.append("no dashboards in deploy/monitoring/dashboards")
    for path in dashboards:
        dashboard = json.loads(path.read_text())
        for field in ("uid", "title", "panels"):
            if field not in dashboard:
                problems.append(f"{path.name}: no {field}")
        for panel in dashboard.get("panels", []):
            for target in panel.get("targets", []):
                expr = target["expr"]
                rules.append({"record": f"dashboard:{dashboard['uid'].replace('-', '_')}:{len(rules)}", "expr": expr})
                # Metric names: identifiers followed by a selector or a range, not labels.
                for name in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)", expr):
                    if name not in EXPORTED and name not in FUNCTIONS:
                        problems.append(f"{path.name}: panel {panel['title']!r} reads {name}, which no service exports")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        json.dump({"groups": [{"name": "dashboards", "rules": rules}]}, f)
    checked = subprocess.run(["promtool", "check", "rules", f.name], capture_output=True, text=True)
    if checked.returncode != 0:
        problems.append("promtool finds invalid PromQL in a dashboard:\n" + checked.stdout + checked.stderr)
    pathlib.Path(f.name).unlink()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(dashboards)} dashboards, {len(rules)} queries: valid, and every metric exported")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
