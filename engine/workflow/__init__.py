"""The SpiffWorkflow host: definitions, instances, human tasks, service tasks and timers."""
