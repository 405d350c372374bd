"""Serving other systems: the Web API (``cn-assist serve``), batches, explanations, the calculator page."""
