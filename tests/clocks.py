"""A clock for code that asks how much time has passed: it moves only when a test says so."""


class ManualClock:
    """Stands in for time.monotonic: no test waits for time to pass, it moves the clock."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
