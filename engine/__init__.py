"""gongkai's core: workflows, domain services and rules. Never imports `web` or `workers`."""
