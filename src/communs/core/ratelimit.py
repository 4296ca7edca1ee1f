"""A fixed-window counter in the cache, for requests that cost the server more than they cost the client.

With the default per-process cache (LocMem), each worker counts for itself: a bound, not an exact
quota. Configure a shared cache (`CACHES`) in production to make it exact.
"""

from django.core.cache import cache


def hit_rate_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True while at most `limit` hits happened in the current window."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
