"""The store of what was last worked out: bounded, least recently used dropped first."""

from orderwatch.patterns.kept import Kept


def test_the_least_recently_used_value_is_dropped_first():
    kept = Kept(size=2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the more recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)


def test_a_key_put_again_holds_the_new_value():
    kept = Kept(size=2)
    kept.put("a", 1)
    kept.put("a", 2)
    assert kept.get("a") == 2
