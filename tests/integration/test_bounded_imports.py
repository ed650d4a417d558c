"""Bounded work: zip bombs, deep JSON and duplicate floods are refused with a message, quickly, in
little memory, and the graph is left as it was. Each bomb is built here, the way an attacker would."""

from __future__ import annotations

import io
import json
import resource
import struct
import time
import tracemalloc
import uuid
import zipfile

import pytest

from interop.bounded import Limits, Refused, load_json, unzip
from interop.hsds import json_reader, package
from interop.hsds.errors import PackageError
from tests.conftest import graph_fingerprint

MB = 1024 * 1024
HEADER = b"id,name,description\n"
# Generous bounds: a busy 2-core machine must not make these flaky, a bomb would still cross them.
SECONDS = 10
PEAK_MB = 200


def _zip(files: dict[str, bytes], encrypt: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if encrypt:  # the "encrypted" flag in the local and the central header
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            struct.pack_into("<H", data, at + offset, struct.unpack_from("<H", data, at + offset)[0] | 1)
    return bytes(data)


def lying_zip(real: int, claimed: int) -> bytes:
    """organizations.csv inflating to `real` bytes while both headers claim `claimed`."""
    data = bytearray(_zip({"organizations.csv": HEADER + b"a" * (real - len(HEADER))}))
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, claimed)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, claimed)
    return bytes(data)


def duplicate_flood(size: int) -> bytes:
    """A page of organizations, every id given twice with two different names (~`size` bytes)."""
    ids = [str(uuid.uuid4()) for _ in range(size // 160)]
    contents = [{"id": i, "name": f"Organisme {n} {i[:4]}", "description": "Un organisme du quartier."}
                for n in range(2) for i in ids]
    return json.dumps({"contents": contents}).encode()


class Measured:
    """Wall time of a block, the growth of the process's max RSS and, when traced, the Python heap's peak
    (tracemalloc slows pure-Python work several times: timed-only blocks are not traced)."""

    def __init__(self, trace: bool = True):
        self.trace = trace

    def __enter__(self):
        if self.trace:
            tracemalloc.start()
        self.rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.peak_mb = tracemalloc.get_traced_memory()[1] / MB if self.trace else 0
        tracemalloc.stop()
        self.rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self.rss) / 1024
        return False

    def within(self, seconds: float = SECONDS) -> None:
        assert self.seconds < seconds, f"took {self.seconds:.1f} s"
        assert self.peak_mb < PEAK_MB and self.rss_growth_mb < PEAK_MB, (self.peak_mb, self.rss_growth_mb)


# --- Without Neo4j: the readers themselves ---------------------------------------------------------------


def test_a_zip_whose_headers_understate_100_mb_is_refused_without_inflating_it():
    bomb = lying_zip(100 * MB, claimed=1000)
    assert len(bomb) < 150_000
    with Measured() as cost, pytest.raises(PackageError) as refused:
        package.read_bytes(bomb, "bomb.zip")
    assert refused.value.problems[0].code == "corrupt"  # the CRC of what the header allows does not match
    cost.within(3)


def test_entries_are_counted_as_they_inflate_not_as_their_headers_say():
    entry = HEADER + b"a" * (3 * MB)
    with pytest.raises(Refused) as refused:  # each entry under its cap, all three over the total
        unzip(_zip({f"{n}.csv": entry for n in "abc"}), lambda name: True, 4 * MB, 8 * MB, 10)
    assert refused.value.code == "too_large"
    # the header claims more than the entry holds: the real bytes are what counts (and the CRC fails)
    with pytest.raises(Refused) as refused:
        unzip(lying_zip(1000, claimed=5 * MB), lambda name: True, 4 * MB, 8 * MB, 10)
    assert refused.value.code in ("too_large", "corrupt")


@pytest.mark.parametrize(("files", "code"), [
    ({"../organizations.csv": HEADER}, "unsafe_name"),
    ({"/etc/organizations.csv": HEADER}, "unsafe_name"),
    ({"inner.zip": b"PK\x03\x04"}, "nested_archive"),
    ({"organizations.csv": _zip({"x.csv": b"x"})}, "nested_archive"),
    ({"a/organizations.csv": HEADER, "b/organizations.csv": HEADER}, "duplicate_entry"),
    ({f"{n}.txt": b"" for n in range(101)}, "too_many_entries"),
])
def test_hostile_zip_entries_are_refused(files, code):
    with pytest.raises(PackageError) as refused:
        package.read_bytes(_zip(files), "package.zip")
    assert refused.value.problems[0].code == code


def test_damaged_and_encrypted_zips_are_refused():
    good = _zip({"organizations.csv": HEADER + b"x,y,z\n" * 1000})
    flipped = bytearray(good)
    flipped[60] ^= 0xFF  # inside the deflated data: bad CRC or bad deflate stream
    for data, code in ((good[: len(good) // 2], "corrupt"), (bytes(flipped), "corrupt"),
                       (_zip({"organizations.csv": HEADER}, encrypt=True), "encrypted")):
        with pytest.raises(PackageError) as refused:
            package.read_bytes(data, "package.zip")
        assert refused.value.problems[0].code == code


def test_every_truncation_of_a_zip_is_a_refusal_never_a_crash():
    good = _zip({"organizations.csv": HEADER + b"x,y,z\n" * 200, "datapackage.json": b"{}"})
    for cut in range(0, len(good), 7):
        try:
            package.read_bytes(good[:cut], "package.zip")
        except PackageError:
            pass


def test_json_nesting_is_bounded_before_it_reaches_the_recursion_limit():
    with pytest.raises(Refused):
        load_json("[" * 100_000, 32)
    with pytest.raises(Refused):
        load_json("[" * 40 + "]" * 40, 32)
    assert load_json('{"a": [[1]]}', 32) == {"a": [[1]]}
    with pytest.raises(PackageError) as refused:
        json_reader.read_json(b"[" * 100_000, "deep.json")
    assert refused.value.problems[0].code == "too_deep"


def test_duplicate_ids_in_json_are_found_in_linear_time_and_named():
    flood = duplicate_flood(500_000)
    assert len(flood) >= 450_000
    with Measured(trace=False) as cost, pytest.raises(PackageError) as refused:
        json_reader.read_json(flood, "flood.json")
    cost.within(3)
    problems = refused.value.problems
    assert problems and all(p.code == "duplicate" and p.value for p in problems)
    # the same object met twice (as nesting repeats it) is one row, not a duplicate
    same = {"id": "l1", "location_type": "physical", "name": "Maison"}
    twice = {"id": "s1", "name": "Aide", "status": "active", "service_at_locations": [
        {"id": "sal1", "location": same}, {"id": "sal2", "location": same}]}
    assert len(json_reader.read_json(json.dumps(twice).encode(), "x.json").rows("location")) == 1


def test_rows_over_the_limit_are_refused_while_reading():
    rows = HEADER + b"".join(b"%d,n,d\n" % n for n in range(200))
    with pytest.raises(PackageError) as refused:
        package.read_bytes(_zip({"organizations.csv": rows}), "p.zip", Limits(rows=100))
    assert refused.value.problems[0].code == "too_many_rows"


# --- Through the app: the HSDS upload, the CLI and the API ------------------------------------------------


def _upload(client, data: bytes, name: str):
    return client.post("/hsds/import", data={
        "package": (io.BytesIO(data), name), "territory": "mn", "sector": "community_other",
        "kind": "community"}, content_type="multipart/form-data")


@pytest.mark.parametrize(("make", "name", "status", "message"), [
    (lambda: lying_zip(100 * MB, claimed=1000), "bomb.zip", 422, "archive endommagée"),
    (lambda: _zip({"organizations.csv": HEADER + b"a" * (49 * MB)}), "honest.zip", 413,
     "trop volumineux une fois décompressé"),
    (lambda: duplicate_flood(500_000), "flood.json", 422, "identifiant en double"),
    (lambda: b"[" * 100_000, "deep.json", 422, "JSON imbriqué trop profondément"),
    (lambda: _zip({"organizations.csv": HEADER}, encrypt=True), "locked.zip", 422, "fichier chiffré"),
    (lambda: _zip({"../../organizations.csv": HEADER}), "escape.zip", 422, "nom de fichier refusé"),
    (lambda: _zip({"inner.zip": _zip({"organizations.csv": HEADER})}), "nested.zip", 422,
     "archive dans l&#39;archive"),
], ids=["understated-100MB", "49MB", "duplicates", "deep-json", "encrypted", "traversal", "nested"])
def test_the_hsds_upload_refuses_bombs_quickly_with_a_message(demo, neo4j_driver, client, auth, make, name,
                                                               status, message):
    data = make()
    assert len(data) < 1_000_000
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    with Measured(trace=name != "flood.json") as cost:
        page = _upload(client, data, name)
    assert page.status_code == status, page.status_code
    assert message in page.get_data(as_text=True)
    assert graph_fingerprint(neo4j_driver) == before
    cost.within(3 if name == "flood.json" else SECONDS)


def test_the_cli_import_refuses_a_bomb_with_a_message(demo, neo4j_driver, runner, tmp_path):
    before = graph_fingerprint(neo4j_driver)
    for name, data in (("bomb.zip", lying_zip(100 * MB, claimed=1000)), ("deep.json", b"[" * 100_000)):
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(args=["hsds", "import", str(tmp_path / name)])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert "Refusé, rien n'a été importé" in result.output
    assert graph_fingerprint(neo4j_driver) == before


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"to": ' + b"[" * 100_000, b"{" * 50_000])
def test_deep_json_bodies_are_a_400_in_json(demo, neo4j_driver, client, auth, body):
    auth.as_role("intervenant")
    before = graph_fingerprint(neo4j_driver)
    for path in ("/api/v1/referrals", "/api/v1/referrals/r-1/status"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400 and response.is_json, (path, response.status_code)
        assert response.get_json()["error"]["message"]
    # a page's form sent as JSON is parsed by the same provider: a 400 page, not a 500
    assert client.post("/profil/modifier", data=body, content_type="application/json").status_code == 400
    assert graph_fingerprint(neo4j_driver) == before


def _typed_term(code, taxonomy):
    term = {"id": "t-1", "code": code, "name": "x", **({"taxonomy": taxonomy} if taxonomy is not None else {})}
    return json.dumps({"contents": [{"id": "o-fuzz", "name": "Fuzz org", "description": "d", "services": [
        {"id": "s-fuzz", "name": "s", "status": "active", "attributes": [{"id": "a-1", "taxonomy_term": term}]}]}]})


@pytest.mark.parametrize(("data", "name"), [
    *[(lambda d=descriptor: _zip({"datapackage.json": d, "organizations.csv": HEADER + b"1,n,d\n"}), "p.zip")
      for descriptor in (b"123", b"null", b'"x"', b'{"resources": 5}', b"[" * 100_000, b"[" * 33 + b"]" * 33)],
    (lambda: _typed_term(5, None).encode(), "p.json"),
    (lambda: _typed_term("x", 5).encode(), "p.json"),
], ids=["number", "null", "string", "resources-number", "deep", "nested-lists", "numeric-code", "numeric-taxonomy"])
def test_odd_descriptors_and_numbers_for_strings_are_never_a_500(demo, client, auth, data, name):
    """Found by the outside pass: each of these answered « Une erreur inattendue est survenue »."""
    auth.as_role("coordinator")
    page = _upload(client, data(), name)
    assert page.status_code in (200, 413, 422), page.status_code
    assert "erreur inattendue" not in page.get_data(as_text=True)
