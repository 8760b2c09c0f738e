// The roles a person can ask for or be invited to, in the words the guides
// use: one list, so registration, the profile and invitations say the same.
import type { RequestableRole } from "./types";

interface RoleWords {
  value: RequestableRole;
  label: string;
  /** Where a person holding it works. */
  at: "provider" | "commissioner";
  /** What it lets them do, as registration explains it. */
  hint: string;
}

export const ROLES: RoleWords[] = [
  { value: "provider_user", label: "User", at: "provider", hint: "At a GP practice or other provider: make and submit claims" },
  { value: "provider_approver", label: "Approver", at: "provider", hint: "At a provider: approve your practice's claims before they go to the commissioner" },
  { value: "commissioning_administrator", label: "Commissioning Administrator", at: "commissioner", hint: "At an ICB: run services, claim windows and user accounts" },
  { value: "approver_tier1", label: "Approver – Tier 1", at: "commissioner", hint: "At an ICB: review claims" },
  { value: "approver_tier2", label: "Approver – Tier 2", at: "commissioner", hint: "At an ICB: approve claims for payment" },
  { value: "finance", label: "Finance", at: "commissioner", hint: "At an ICB: approve large claims and payments" },
];

/** The roles held at one kind of organisation, as radio options. */
export function rolesAt(at: RoleWords["at"]): Array<{ value: string; label: string }> {
  return ROLES.filter((role) => role.at === at).map(({ value, label }) => ({ value, label }));
}

/** Every role, each saying where it is held. */
export function rolesSayingWhere(): Array<{ value: string; label: string }> {
  return ROLES.map(({ value, label, at }) =>
    ({ value, label: `${label} (${at === "provider" ? "at a practice or other provider" : "at an ICB"})` }));
}
