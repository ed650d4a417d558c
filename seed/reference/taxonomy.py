"""The fixed taxonomy of needs a family may have, in French and English.

Each need carries the words workers actually type, in French and in English: synonyms, the
professions that answer it (« avocat », « psy », « TS »), common abbreviations (« CPE », « DPJ »,
« RAMQ », « ACE ») and the words of the 211 and Open Referral vocabularies where they fit. They are
indexed with the labels (one `keywords` text) so that a free-text search lands on the right need;
tests/data/worker_queries.tsv holds the queries, as workers type them, that each must reach.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedDef:
    id: str
    label_fr: str
    label_en: str
    words_fr: str
    words_en: str

    @property
    def keywords(self) -> str:
        """What the search index reads beside the labels: every word, French and English, elisions apart
        (the index keeps « d'asile » as one token, which the word « asile » typed alone would not find)."""
        return f"{self.words_fr} {self.words_en}".replace("'", " ")


NEEDS = (
    NeedDef("mental-health", "Santé mentale", "Mental health",
            "psychologue psy psychiatre pédopsychiatre thérapeute psychothérapie travailleur social "
            "travailleuse sociale TS détresse anxiété angoisse dépression déprime deuil stress épuisement "
            "burnout crise suicide suicidaire soutien psychologique psychosocial écoute trauma traumatisme "
            "toxicomanie dépendance alcool drogue jeu compulsif",
            "mental health psychologist psychiatrist therapist therapy counselling counseling counsellor "
            "anxiety depression grief stress crisis suicide trauma PTSD emotional support social worker shrink "
            "addiction substance use"),
    NeedDef("legal-immigration", "Aide juridique et droit de l'immigration", "Legal aid and immigration law",
            "avocat avocate juriste notaire droit immigration immigrant statut réfugié réfugiée demandeur "
            "d'asile asile parrainage résidence permanente RP citoyenneté aide juridique permis de travail "
            "permis d'études CAQ visa renvoi déportation IRCC sans papiers sans statut",
            "lawyer attorney legal aid law immigration refugee asylum claimant sponsorship permanent "
            "residence PR citizenship work permit study permit visa deportation undocumented"),
    NeedDef("francisation", "Francisation", "French language classes",
            "français cours de français francisation apprendre le français alphabétisation alpha FLS "
            "conversation MIFI",
            "French classes French lessons learn French literacy second language"),
    NeedDef("taxes", "Impôts et prestations", "Taxes and benefits",
            "impôts impot rapport d'impôt déclaration de revenus clinique d'impôt allocation canadienne "
            "pour enfants ACE allocation famille prestations crédit TPS crédit solidarité Revenu Québec ARC "
            "aide sociale bien-être social BS solidarité sociale",
            "taxes tax return income tax tax clinic child benefit CCB benefits GST credit welfare social "
            "assistance"),
    NeedDef("housing", "Logement", "Housing",
            "logement appartement appart bail propriétaire proprio loyer hausse de loyer insalubrité "
            "moisissure logement social HLM OMH coopérative coop punaises coquerelles expulsion éviction "
            "TAL itinérance",
            "housing apartment lease landlord rent eviction mould mold bedbugs cockroaches social housing "
            "homeless homelessness"),
    NeedDef("food-aid", "Aide alimentaire", "Food aid",
            "banque alimentaire dépannage alimentaire nourriture épicerie cuisine collective paniers bouffe "
            "repas frigo communautaire comptoir alimentaire sécurité alimentaire",
            "food bank food aid groceries meals community kitchen food basket hunger"),
    NeedDef("early-childhood", "Petite enfance", "Early childhood",
            "garderie CPE halte-garderie service de garde bébé périnatalité grossesse enceinte allaitement "
            "stimulation développement de l'enfant maternelle tout-petits orthophonie orthophoniste TSA "
            "autisme TDAH retard de développement",
            "daycare day care childcare child care nursery baby infant toddler preschool pregnancy "
            "breastfeeding speech therapy autism ADHD developmental delay"),
    NeedDef("school-family", "Lien école-famille", "School and family",
            "école scolaire devoirs aide aux devoirs enseignant enseignante prof classe d'accueil inscription "
            "scolaire agent de liaison ICS décrochage bulletin",
            "school homework teacher enrolment enrollment registration tutoring dropout report card"),
    NeedDef("employment", "Emploi", "Employment",
            "emploi job travail CV curriculum recherche d'emploi reconnaissance des diplômes stage chômage "
            "assurance-emploi entrevue formation professionnelle",
            "job jobs employment work resume job search career unemployment interview training"),
    NeedDef("women-violence", "Femmes et violence conjugale", "Women and domestic violence",
            "violence conjugale femmes violence familiale maison d'hébergement hébergement sécurité "
            "agression sexuelle abus victime IVAC",
            "domestic violence women abuse shelter intimate partner violence sexual assault victim safety"),
    NeedDef("youth-protection", "Protection de la jeunesse", "Youth protection",
            "DPJ protection de la jeunesse signalement négligence maltraitance enfant en danger placement "
            "famille d'accueil",
            "youth protection child protection CPS neglect child abuse foster care"),
    NeedDef("physical-health", "Santé physique", "Physical health",
            "santé médecin docteur médecin de famille clinique vaccination vaccin RAMQ carte soleil "
            "assurance maladie CLSC soins infirmière infirmier pharmacie dentiste hôpital GAMF Info-Santé "
            "pédiatre nutritionniste handicap",
            "health doctor physician family doctor clinic vaccine vaccination health insurance nurse "
            "pharmacy dentist hospital pediatrician paediatrician nutritionist disability"),
    NeedDef("material-aid", "Aide matérielle d'urgence", "Emergency material aid",
            "vêtements linge meubles urgence matériel dépannage friperie bottes manteau d'hiver "
            "électroménagers articles pour bébé couches",
            "clothing clothes furniture winter coat boots emergency aid material aid thrift store diapers "
            "baby items"),
    NeedDef("recreation", "Loisirs et vie de quartier", "Recreation and community life",
            "loisirs sport activités camp de jour bibliothèque culture quartier parc piscine maison des jeunes",
            "recreation leisure sports activities day camp summer camp library youth centre community centre"),
    NeedDef("parenting", "Soutien parental", "Parenting support",
            "parentalité parents ateliers parents éducation discipline soutien parental comportement "
            "coparentalité père mère",
            "parenting parent support parenting workshop discipline behaviour behavior"),
)
NEED_IDS = tuple(n.id for n in NEEDS)
