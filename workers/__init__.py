"""rq job functions, the worker entry point and the periodic sweeps. Calls `engine`, never `web`."""
