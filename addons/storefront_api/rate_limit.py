"""A fixed-window request counter per key, in the memory of one server process (no Odoo).

Each HTTP worker counts its own requests: with N workers a client gets at most N times the
limit. The limits protect the server from a runaway client, not a quota to bill."""

import threading
import time


class RateLimiter:
    def __init__(self, window=60.0, clock=time.monotonic, max_keys=100_000):
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._counts = {}
        self._lock = threading.Lock()

    def hit(self, key, limit):
        """Count a request of ``key``; ``(allowed, seconds until the window resets)``."""
        now = self.clock()
        slot = int(now // self.window)
        with self._lock:
            if len(self._counts) > self.max_keys:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == slot}
            counted_slot, count = self._counts.get(key, (slot, 0))
            if counted_slot != slot:
                count = 0
            count += 1
            self._counts[key] = (slot, count)
        retry_after = int((slot + 1) * self.window - now) + 1
        return count <= limit, retry_after

    def reset(self):
        with self._lock:
            self._counts.clear()


limiter = RateLimiter()
