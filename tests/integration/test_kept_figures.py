"""Evaluation figures are computed once per state of the graph: kept while nothing is written, computed
again after any write — from this process or another (Neo4j's bookmark of an empty read moves on)."""

from graph.driver import create_driver
from referral.graphdb import kept


def test_a_figure_is_kept_until_the_graph_changes_from_any_process(graph, app, neo4j_settings):
    computed = []

    def figure(value):
        def compute():
            computed.append(value)
            return {"ties": value}
        return compute

    def ask(value):
        with app.test_request_context():  # one request: the graph's version is read once
            return kept(("ties", "mn"), figure(value))

    assert ask(1) == {"ties": 1}
    assert ask(2) == {"ties": 1} and computed == [1]  # nothing written: kept
    other_process = create_driver(neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"])
    other_process.execute_query("CREATE (:Probe {id: 'kept-figures'})")
    other_process.close()
    assert ask(3) == {"ties": 3} and computed == [1, 3]
    kept_value = ask(4)
    kept_value["ties"] = 99  # what a caller is given is its own copy
    assert ask(5) == {"ties": 3}
