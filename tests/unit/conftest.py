"""What unit tests share: no Neo4j, no app — at most a bare Flask-Babel request context for lazy strings."""

import pytest
from flask import Flask
from flask_babel import Babel


@pytest.fixture
def babel_request():
    """A request context with Flask-Babel, French (the msgids): what `_()` and lazy strings need."""
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield
