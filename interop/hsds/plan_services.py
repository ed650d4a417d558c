"""The services and contacts of an HSDS import plan: both belong to an organisation the plan keeps, and
each one the directory already holds is checked by referral.policy as it is now."""

from __future__ import annotations

from interop.hsds.mapping import fold, hours_from_schedules, language_code, map_term
from interop.hsds.planning import PackageIndex, Plan, node_id, unique
from referral import policy

INACTIVE = ("inactive", "defunct")
SERVICE_FIELDS = ("organisation", "name", "description", "eligibility", "languages", "hours", "needs")
PERSON_FIELDS = ("organisation", "name", "title", "role", "email", "phone", "languages")


def _taxonomy_name(index: PackageIndex, term: dict) -> str:
    taxonomy = index.get("taxonomy", term.get("taxonomy_id"))
    return (taxonomy or {}).get("name") or term.get("taxonomy") or ""


def plan_services(plan: Plan, index: PackageIndex, existing: dict, planned_orgs: dict, state: dict, labels: dict,
                  principal: policy.Principal, located: dict) -> None:
    unmapped: dict[str, dict] = {}
    for service in index.rows.get("service", []):
        key = service["id"]
        if service.get("status") in INACTIVE:
            plan.item("service", service, "skip", reason="inactive", value=service["status"])
            continue
        org = planned_orgs.get(service.get("organization_id"))
        if org is None:
            plan.item("service", service, "skip", reason="organisation_skipped")
            continue
        current = existing.get(key)
        if current and plan.twice("service", current, key):
            plan.item("service", service, "skip", reason="same_record")
            continue
        if current and not policy.may_change_service(principal, located.get(current["organisation"]),
                                                     org["territory"]):
            plan.item("service", service, "skip", reason="refused")
            continue
        sal_ids = [sal["id"] for sal in index.where("service_at_location", service_id=key)]
        schedules = index.where("schedule", service_id=key)
        schedules += [s for sid in sal_ids for s in index.where("schedule", service_at_location_id=sid)
                      if s not in schedules]
        needs, missing = [], []
        for attribute in index.where("attribute", link_id=key, link_entity="service"):
            term = index.get("taxonomy_term", attribute.get("taxonomy_term_id"))
            if term is None:
                continue
            taxonomy = _taxonomy_name(index, term)
            need = map_term(term, taxonomy, state["mappings"], state["needs"])
            if need:
                needs.append(need)
            else:
                missing.append(term.get("name") or term.get("code"))
                entry = unmapped.setdefault(term["id"], {"taxonomy": taxonomy, "code": term.get("code"),
                                                         "name": term.get("name"), "services": 0})
                entry["services"] += 1
        languages = [language_code(lang.get("code"), lang.get("name"), labels.get("languages"))
                     for lang in index.where("language", service_id=key)]
        planned = {
            "id": current["id"] if current else node_id("s", "service", key), "hsds_id": key,
            "organisation": org["id"], "name": service["name"], "description": service.get("description"),
            "eligibility": service.get("eligibility_description"),
            "languages": unique(languages),
            "hours": hours_from_schedules(schedules), "needs": sorted(set(needs)),
        }
        plan.record("service", plan.services, service, planned, current, SERVICE_FIELDS,
                needs=planned["needs"], unmapped=missing)
    plan.unmapped = sorted(unmapped.values(), key=lambda t: (-t["services"], fold(t["name"])))


# --- Contacts -> people -------------------------------------------------------------------------------


def _contact_organisation(index: PackageIndex, contact: dict) -> str | None:
    if contact.get("organization_id"):
        return contact["organization_id"]
    service = index.get("service", contact.get("service_id"))
    if service is None:
        sal = index.get("service_at_location", contact.get("service_at_location_id"))
        service = index.get("service", (sal or {}).get("service_id"))
    if service:
        return service.get("organization_id")
    location = index.get("location", contact.get("location_id"))
    return (location or {}).get("organization_id")


def plan_people(plan: Plan, index: PackageIndex, existing: dict, planned_orgs: dict, state: dict, labels: dict,
                principal: policy.Principal, located: dict) -> None:
    roles = {**(labels.get("role_aliases") or {}),
             **{fold(str(label)): code for code, label in (labels.get("roles") or {}).items()}}
    # An e-mail (stored lower-case) belongs to one person: none is taken from the directory's people, nor
    # given to two contacts of the package.
    owners = {p["email"].lower(): p["id"] for p in state["people"] if p.get("email")}
    planned_emails = set()
    for contact in index.rows.get("contact", []):
        key = contact["id"]
        if not contact.get("name"):
            plan.item("contact", contact, "skip", reason="no_name")
            continue
        org = planned_orgs.get(_contact_organisation(index, contact))
        if org is None:
            plan.item("contact", contact, "skip", reason="organisation_skipped")
            continue
        current = existing.get(key)
        if current and plan.twice("person", current, key):
            plan.item("contact", contact, "skip", reason="same_record")
            continue
        if current and not policy.may_change_job(
                principal, {located.get(o) for o in current.get("organisations", [])} - {None}, org["territory"]):
            plan.item("contact", contact, "skip", reason="refused")
            continue
        email = (contact.get("email") or "").strip().lower() or None
        owner = owners.get(email) if email else None
        if owner is not None and owner != (current or {}).get("id"):
            plan.item("contact", contact, "skip", reason="same_email")
            continue
        if email and email in planned_emails:
            plan.item("contact", contact, "skip", reason="same_email_in_package")
            continue
        phones = index.where("phone", contact_id=key)
        languages = [language_code(lang.get("code"), lang.get("name"), labels.get("languages"))
                     for phone in phones[:1] for lang in index.where("language", phone_id=phone["id"])]
        title = contact.get("title")
        role = roles.get(fold(title)) if title else None
        planned = {
            "id": current["id"] if current else node_id("p", "person", key), "hsds_id": key,
            "organisation": org["id"], "name": contact["name"],
            "title": None if role else title, "role": role or (current or {}).get("role"),
            "email": email, "phone": phones[0]["number"] if phones else None,
            "languages": unique(languages),
        }
        current_view = None if current is None else {
            **current, "organisation": org["id"] if org["id"] in current.get("organisations", []) else None}
        plan.record("contact", plan.people, contact, planned, current_view, PERSON_FIELDS,
                listed=bool(current and current.get("listed")))
        if email:
            planned_emails.add(email)
