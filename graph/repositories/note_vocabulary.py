"""What a referral note may name without naming a family: the directory's phrases that occur in it."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository


class NoteVocabularyRepository(Repository):
    def mentioned(self, note: str, parties: list[str]) -> dict:
        """The names the note contains (case-insensitively) of organisations, territories and needs
        (`places`) and of listed people (`workers`: unlisted ones stay unknown, so the check tells
        nothing about them), and the names of the `parties` (the referral's receiver and sender)."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                WITH toLower($note) AS note
                CALL (note) {
                    MATCH (o:Organisation) WHERE o.name IS NOT NULL AND note CONTAINS toLower(o.name)
                    RETURN collect(o.name) AS organisations
                }
                CALL (note) {
                    MATCH (t:Territory) WHERE t.name IS NOT NULL AND note CONTAINS toLower(t.name)
                    RETURN collect(t.name) AS territories
                }
                CALL (note) {
                    MATCH (n:Need) UNWIND [n.label_fr, n.label_en] AS label
                    WITH label WHERE label IS NOT NULL AND note CONTAINS toLower(label)
                    RETURN collect(label) AS needs
                }
                CALL (note) {
                    MATCH (p:Person) WHERE p.listed AND p.name IS NOT NULL AND note CONTAINS toLower(p.name)
                    RETURN collect(p.name) AS workers
                }
                CALL () {
                    MATCH (p:Person) WHERE p.id IN $parties AND p.name IS NOT NULL
                    RETURN collect(p.name) AS parties
                }
                RETURN organisations + territories + needs AS places, workers, parties
                """,
                note=note, parties=parties,
            ).single().data()

        return self.read(work)
