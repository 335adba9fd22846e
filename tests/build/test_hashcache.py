"""Remembered hashes: trusted only for files not written since they were hashed."""

from __future__ import annotations

import hashlib
import os
import time

from analysis.build.hashcache import RACY_NS, HashCache


def counting():
    """A hash function that counts its calls."""
    calls = []

    def compute(path):
        calls.append(path)
        return hashlib.sha256(path.read_bytes()).hexdigest()

    return compute, calls


def settled_cache(tmp_path, path):
    """A cache that has hashed `path`, saved and loaded again once the file is no longer racily new."""
    cache = HashCache(tmp_path / "record.json")
    compute, _ = counting()
    cache.sha256(path, compute)
    cache.save()
    data = (tmp_path / "record.json").read_text()
    later = data.replace('"written_ns":', '"written_ns":' + str(time.time_ns() + 2 * RACY_NS) + ', "old":')
    (tmp_path / "record.json").write_text(later)
    return HashCache(tmp_path / "record.json")


def test_an_unchanged_file_is_not_hashed_again(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    cache = settled_cache(tmp_path, path)
    compute, calls = counting()
    assert cache.sha256(path, compute) == hashlib.sha256(b"abc").hexdigest() and calls == []


def test_a_same_size_edit_with_its_modification_time_restored_is_hashed_again(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    stat = path.stat()
    cache = settled_cache(tmp_path, path)
    path.write_bytes(b"abd")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # size and mtime as before; ctime is not
    compute, calls = counting()
    assert cache.sha256(path, compute) == hashlib.sha256(b"abd").hexdigest() and calls == [path]


def test_a_file_changed_just_before_the_record_was_written_is_hashed_again(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    cache = HashCache(tmp_path / "record.json")
    cache.sha256(path, counting()[0])
    cache.save()
    compute, calls = counting()
    HashCache(tmp_path / "record.json").sha256(path, compute)
    assert calls == [path]  # racily clean: its ctime is within a second of the record


def test_a_missing_file_has_no_hash(tmp_path):
    assert HashCache(None).sha256(tmp_path / "none", counting()[0]) is None


def test_an_unreadable_record_is_ignored(tmp_path):
    (tmp_path / "record.json").write_text("{not json")
    assert HashCache(tmp_path / "record.json").entries == {}


def test_a_full_build_hashes_everything_but_leaves_a_record_for_the_next(tmp_path):
    from analysis.build.hashcache import hash_cache

    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    settled_cache(tmp_path, path)
    (tmp_path / ".hashes.json").write_bytes((tmp_path / "record.json").read_bytes())
    compute, calls = counting()
    full = hash_cache(tmp_path, enabled=False)
    full.sha256(path, compute)
    full.save()
    assert calls == [path] and (tmp_path / ".hashes.json").read_bytes() != (tmp_path / "record.json").read_bytes()
