"""The fixed taxonomy of needs a family may have, in French and English.

Keywords hold the words workers actually type (« avocat », « impôts », « logement social »…):
they are indexed with the labels so that a free-text search lands on the right need.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedDef:
    id: str
    label_fr: str
    label_en: str
    keywords: str


NEEDS = (
    NeedDef("mental-health", "Santé mentale", "Mental health",
            "psychologue détresse anxiété dépression deuil stress psychosocial soutien psychologique"),
    NeedDef("legal-immigration", "Aide juridique et droit de l'immigration", "Legal aid and immigration law",
            "avocat avocate juriste droit immigration statut réfugié parrainage résidence permanente "
            "citoyenneté aide juridique"),
    NeedDef("francisation", "Francisation", "French language classes",
            "français cours de français apprendre le français langue alphabétisation"),
    NeedDef("taxes", "Impôts et prestations", "Taxes and benefits",
            "impôts impot déclaration de revenus clinique d'impôt allocation canadienne pour enfants "
            "prestations crédit"),
    NeedDef("housing", "Logement", "Housing",
            "logement appartement bail propriétaire loyer insalubrité logement social HLM punaises"),
    NeedDef("food-aid", "Aide alimentaire", "Food aid",
            "banque alimentaire dépannage alimentaire nourriture épicerie cuisine collective paniers"),
    NeedDef("early-childhood", "Petite enfance", "Early childhood",
            "garderie CPE halte-garderie bébé périnatalité stimulation développement de l'enfant"),
    NeedDef("school-family", "Lien école-famille", "School and family",
            "école scolaire devoirs aide aux devoirs enseignant classe d'accueil inscription scolaire"),
    NeedDef("employment", "Emploi", "Employment",
            "emploi travail CV recherche d'emploi reconnaissance des diplômes stage"),
    NeedDef("women-violence", "Femmes et violence conjugale", "Women and domestic violence",
            "violence conjugale femmes hébergement maison d'hébergement sécurité"),
    NeedDef("youth-protection", "Protection de la jeunesse", "Youth protection",
            "DPJ protection de la jeunesse signalement négligence"),
    NeedDef("physical-health", "Santé physique", "Physical health",
            "santé médecin clinique vaccination RAMQ assurance maladie CLSC soins infirmière"),
    NeedDef("material-aid", "Aide matérielle d'urgence", "Emergency material aid",
            "vêtements meubles urgence matériel dépannage friperie"),
    NeedDef("recreation", "Loisirs et vie de quartier", "Recreation and community life",
            "loisirs sport activités camp de jour bibliothèque culture quartier"),
    NeedDef("parenting", "Soutien parental", "Parenting support",
            "parentalité parents ateliers parents éducation discipline soutien parental"),
)
NEED_IDS = tuple(n.id for n in NEEDS)
