"""Shared by the tests that drive the referral API from many threads at once."""

from datetime import UTC, datetime, timedelta

from graph.repositories.users import UserRepository
from referral.auth.service import hash_token


def bearer(driver, user_id: str, scope: str = "read-write", days: int = 90) -> dict:
    """Give a demo user an API token (made as the profile makes one) and return the header that carries it."""
    token = f"ei_test-{user_id}-{scope}-{days}"
    now = datetime.now(UTC)
    UserRepository(driver).add_token(user_id, hash_token(token), "test", scope, now, now + timedelta(days=days))
    return {"Authorization": f"Bearer {token}"}


def a_receiver(client, headers) -> str:
    """A listed person the demo intervenant may refer a family to, as the search finds them."""
    found = client.get("/api/v1/contacts?need=mental-health&territory=mn", headers=headers)
    assert found.status_code == 200, found.get_data(as_text=True)
    return found.json["results"][0]["id"]


WHOLE_REFERRALS = """
MATCH (r:Referral)
OPTIONAL MATCH (r)-[:FROM]->(a:Person)
OPTIONAL MATCH (r)-[:TO]->(b:Person)
OPTIONAL MATCH (r)-[:FOR]->(n:Need)
OPTIONAL MATCH (r)-[:HAS_EVENT]->(e:ReferralEvent)
WITH r, count(DISTINCT a) AS froms, count(DISTINCT b) AS tos, count(DISTINCT n) AS needs,
     collect(DISTINCT e.seq) AS seqs
RETURN r.id AS id, r.status AS status, froms = 1 AND tos = 1 AND needs = 1 AND 0 IN seqs AS whole, seqs
"""


def referrals_in(driver) -> dict:
    """Every Referral in the graph: id → (status, has its FROM/TO/FOR and first event, event sequence numbers)."""
    records, _, _ = driver.execute_query(WHOLE_REFERRALS)
    return {r["id"]: (r["status"], r["whole"], sorted(r["seqs"])) for r in records}
