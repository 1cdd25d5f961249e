"""Sign-in throttling: after N wrong passwords for one user name within a window, that name is
refused for the rest of the window, even with the right password (``../shared/spec/web-ui.md``).

Counted in the broker's Redis, so every process and service (the login page and
``POST /api/register/login`` alike) sees the same count; the ``limits`` library does the counting.
"""

from __future__ import annotations

import dataclasses

from limits import RateLimitItemPerMinute
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

#: The Redis key prefix of the counters.
NAMESPACE = "school:sign-in"

TOO_MANY = ("Твърде много неуспешни опити за вход с това име. Опитайте отново след {minutes} минути "
            "или се обърнете към администратора.")


@dataclasses.dataclass(frozen=True)
class SignInThrottle:
    limiter: FixedWindowRateLimiter
    item: RateLimitItemPerMinute

    @classmethod
    def on(cls, redis_client, attempts: int, window_minutes: int) -> SignInThrottle:
        storage = RedisStorage("redis://", connection_pool=redis_client.connection_pool, key_prefix=NAMESPACE)
        return cls(FixedWindowRateLimiter(storage), RateLimitItemPerMinute(attempts, window_minutes))

    @staticmethod
    def _who(name: str) -> str:
        return " ".join(name.split()).casefold()

    def allowed(self, name: str) -> bool:
        """False once the name has used up its wrong tries in this window."""
        return self.limiter.test(self.item, self._who(name))

    def failed(self, name: str) -> None:
        self.limiter.hit(self.item, self._who(name))

    def message(self) -> str:
        return TOO_MANY.format(minutes=self.item.multiples)
