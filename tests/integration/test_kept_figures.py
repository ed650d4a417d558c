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


def test_a_figure_stays_a_while_for_those_who_wrote_nothing_since(graph, app, neo4j_settings):
    # Under a territory's load every referral moves the graph on: figures recomputed at each change took
    # half the server's CPU. Within FIGURES_MAX_AGE, another person's write leaves them as they were;
    # one's own write (an unsafe request not refused) shows at once; and so does anything, once too old.
    from flask_login import login_user

    from referral.auth.users import User
    from referral.graphdb import note_writes

    app.config["FIGURES_MAX_AGE"] = 3600.0
    computed = []

    def ask(value, account="coordination", method="GET", status=200):
        with app.test_request_context("/", method=method):
            login_user(User({"id": account, "email": f"{account}@example.org", "role": "coordinator"}))
            found = kept(("ties", "mn"), lambda: computed.append(value) or {"ties": value})
            note_writes(app.response_class(status=status))
            return found

    def someone_writes():
        other_process = create_driver(neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"])
        other_process.execute_query("CREATE (:Probe {id: 'kept-figures'})")
        other_process.close()

    assert ask(1) == {"ties": 1}
    someone_writes()
    assert ask(2) == {"ties": 1} and ask(3, account="evaluation") == {"ties": 1}  # another's write: kept
    ask(4, account="evaluation", method="POST", status=422)  # refused: wrote nothing
    assert ask(5, account="evaluation") == {"ties": 1}
    ask(6, method="POST", status=303)  # the coordinator wrote
    assert ask(7) == {"ties": 7} and computed == [1, 7]  # their own change shows at once
    someone_writes()
    app.config["FIGURES_MAX_AGE"] = 0.0  # too old now
    assert ask(8, account="evaluation") == {"ties": 8}
