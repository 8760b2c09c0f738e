"""Doing things at once and waiting for what follows, for the tests and the
benchmarks alike: a double click is two threads started together; a queue's
work is waited for, never slept for."""

from __future__ import annotations

import threading
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def at_once(call: Callable[[], T], times: int = 2) -> list[T]:
    """`call` made `times` times together (as a double click makes it), each
    answer kept in the order it came back."""
    answers: list[T] = []
    threads = [threading.Thread(target=lambda: answers.append(call())) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def wait_until(check: Callable[[], T], what: str, timeout: float = 30, every: float = 0.2) -> T:
    """The first answer of `check` that is not empty, asked every `every` seconds;
    an AssertionError naming `what` if none comes within `timeout`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")
