"""Packages waiting for their confirmation: kept under a random name, read back, and deleted when confirmed or
stale (a day), whoever's they are."""

from __future__ import annotations

import os
import time

import pytest

from referral.hsds.uploads import STALE_AFTER, PendingUploads


def test_an_upload_is_kept_read_back_and_forgotten(tmp_path):
    uploads = PendingUploads(tmp_path / "hsds-uploads")
    mine, theirs = uploads.keep(b"{}", "Paquet.JSON"), uploads.keep(b"PK", "paquet.zip")
    assert mine.endswith(".json") and theirs.endswith(".zip") and mine != theirs
    assert uploads.read(mine) == b"{}"
    uploads.forget(mine)
    with pytest.raises(FileNotFoundError):
        uploads.read(mine)
    assert uploads.read(theirs) == b"PK"  # another session's upload stays while it is fresh


def test_stale_uploads_go_whoever_left_them_and_names_stay_in_the_folder(tmp_path):
    uploads = PendingUploads(tmp_path)
    old = uploads.keep(b"old", "a.zip")
    long_ago = time.time() - STALE_AFTER - 60
    os.utime(tmp_path / old, (long_ago, long_ago))
    (tmp_path.parent / "secret.txt").write_text("outside")
    uploads.forget()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError):
        uploads.read("../secret.txt")
