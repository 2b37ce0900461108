"""Hypothesis profiles.

The suite runs derandomized so CI gives the same verdict for the same commit; `make fuzz`
(HYPOTHESIS_PROFILE=fuzz) explores fresh random cases at 50x the examples to find new ones.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", derandomize=True, deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", derandomize=False, deadline=None, max_examples=5000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
