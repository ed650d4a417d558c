"""The CSV imports' columns: for each kind of file, each canonical column, whether it is required and the
header spellings accepted for it (matched once folded), and the downloadable model's two lines."""

from __future__ import annotations

# Canonical column → (required, accepted header spellings once folded).
COLUMNS = {
    "participants": {
        "nom": (True, ("nom", "nom complet", "name", "prenom et nom")),
        "courriel": (True, ("courriel", "email", "e-mail", "adresse courriel", "mail")),
        "telephone": (False, ("telephone", "tel", "phone")),
        "organisation": (True, ("organisation", "organisme", "organization")),
        "territoire": (True, ("territoire", "tip", "territory")),
        "role": (False, ("role", "fonction")),
        "langues": (False, ("langues", "languages", "langues parlees")),
        "repertoire": (False, ("repertoire", "liste", "listed", "dans le repertoire")),
        "depuis": (False, ("depuis", "since", "en poste depuis")),
    },
    "organisations": {
        "nom": (True, ("nom", "name", "organisation", "organisme")),
        "territoire": (True, ("territoire", "tip", "territory")),
        "secteur": (True, ("secteur", "sector")),
        "type": (False, ("type", "kind", "genre")),
        "adresse": (False, ("adresse", "address")),
        "code_postal": (True, ("code postal", "postal code", "cp")),
        "telephone": (False, ("telephone", "tel", "phone")),
        "site_web": (False, ("site web", "site", "website", "url")),
        "langues": (False, ("langues", "languages")),
    },
}
TEMPLATES = {
    "participants": (
        "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis",
        "Prénom Nom;prenom.nom@exemple.org;514 555-0100;Nom exact de l'organisation (voir le répertoire);"
        "Montréal-Nord;intervenant_communautaire;fr ar;oui;2024-09-01",
    ),
    "organisations": (
        "nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues",
        "Maison des familles de l'exemple;Montréal-Nord;family;community;"
        "4000, boulevard Henri-Bourassa Est;H1H 1J5;514 555-0100;https://exemple.org;fr en",
    ),
}
