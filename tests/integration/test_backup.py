"""Backup and restore round-trip to an identical graph; a damaged file is refused and changes nothing."""

import json

from graph.backup import dump
from graph.schema import init_schema
from tests.conftest import graph_fingerprint


def test_round_trip_gives_an_identical_graph(demo, graph, runner, tmp_path):
    file = tmp_path / "backup.json"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    before = dump(graph)
    graph.execute_query("MATCH (n:Organisation) WITH n LIMIT 3 DETACH DELETE n")
    result = runner.invoke(args=["restore", str(file), "--yes"])
    assert result.exit_code == 0, result.output
    after = dump(graph)
    assert after["sha256"] == before["sha256"]
    assert after["nodes"] == before["nodes"] and after["relationships"] == before["relationships"]
    # Types survive: dates stay dates, points stay points.
    records, _, _ = graph.execute_query(
        "MATCH (o:Organisation) WITH o LIMIT 1 MATCH ()-[k:KNOWS]-() WITH o, k LIMIT 1 "
        "RETURN o.location.latitude AS lat, valueType(k.since) AS since")
    assert records[0]["lat"] > 45 and records[0]["since"].startswith("DATE")


def test_damaged_or_foreign_files_are_refused_and_change_nothing(demo, graph, runner, tmp_path):
    good = tmp_path / "backup.json"
    runner.invoke(args=["backup", str(good)])
    content = json.loads(good.read_text())
    before = graph_fingerprint(graph)

    edited = dict(content, nodes=content["nodes"][:-1])
    bad_label = json.loads(good.read_text())
    bad_label["nodes"][0]["labels"] = ["Person) DETACH DELETE (x"]
    cases = {
        "edited.json": json.dumps(edited),
        "truncated.json": good.read_text()[: len(good.read_text()) // 2],
        "foreign.json": json.dumps({"hello": "world"}),
        "label.json": json.dumps(bad_label),
        "binary.json": None,
    }
    for name, text in cases.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes(b"\xff\xfe\x00garbage")
        else:
            path.write_text(text)
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 1, (name, result.output)
        assert "not changed" in result.output
        assert graph_fingerprint(graph) == before, name


def test_a_backup_whose_people_share_an_email_is_refused_and_changes_nothing(demo, graph, runner, tmp_path):
    # Made from a graph of before the rule (one e-mail, one person), restored into one that has it.
    first, second = [p for p in demo.people if p["email"]][:2]
    graph.execute_query("DROP CONSTRAINT person_email")
    try:
        graph.execute_query("MATCH (p:Person {id: $id}) SET p.email = $email", id=second["id"], email=first["email"])
        file = tmp_path / "shared.json"
        assert runner.invoke(args=["backup", str(file)]).exit_code == 0
        graph.execute_query("MATCH (p:Person {id: $id}) SET p.email = $email", id=second["id"], email=second["email"])
    finally:
        init_schema(graph)
    before = graph_fingerprint(graph)
    result = runner.invoke(args=["restore", str(file), "--yes"])
    assert result.exit_code == 1 and "uniqueness" in result.output and "not changed" in result.output
    assert graph_fingerprint(graph) == before
