// The API's shapes as the screens read them; src/contract.ts checks each against docs/openapi.yaml.

export interface Money {
  amount: string;
  display: string;
}

export interface Status {
  code: string;
  label: string;
}

export interface Membership {
  organisationCode: string;
  organisationName: string;
  role: { code: string; label: string };
  status: string;
}

export interface Me {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  memberships: Membership[];
  /** Whether the person's roles need an authenticator app, and whether theirs is set up. */
  mfa: { required: boolean; enabled: boolean };
}

export interface Reason {
  reason: string;
  message: string;
}

export interface Availability {
  provider: { code: string; name: string };
  claimsAnyTime: boolean;
  canStartClaim: boolean;
  claimable: Array<{ serviceId: string; serviceName: string; periodLabel: string; closesAt: string | null }>;
  reasons: Reason[];
}

export interface ClaimService {
  serviceId: string;
  name: string;
  period: string;
  periodLabel: string;
  closesAt: string | null;
}

export interface ClaimListItem {
  id: number;
  status: Status;
  services: ClaimService[];
  createdAt: string;
  submittedAt: string | null;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  status: "awaiting_upload" | "scanning" | "clean" | "refused";
  refusal: string | null;
}

export interface Question {
  id: string;
  text: string;
  required: boolean;
  answer: unknown;
  answerType: { type: string; mustBeYes?: boolean; maxLength?: number };
}

export interface Line {
  id: string;
  serviceId: string;
  componentId: string;
  name: string;
  description: string;
  paymentType: "per_unit" | "retainer" | "participation_only";
  unitLabel: string | null;
  unitPrice: Money | null;
  maxUnits: number | null;
  units: number | null;
  value: Money;
  retainer: { amount: Money; information: string } | null;
  evidence: {
    requiredFromUnits: number;
    guidance: string;
    accepted: Array<{ extension: string; contentType: string }>;
    maxBytes: number;
    needed: boolean;
  } | null;
  attachments: Attachment[];
  questions: Question[];
}

export interface ClaimScreen {
  id: number;
  status: Status;
  version: number;
  provider: { code: string; name: string };
  commissioner: { code: string; name: string };
  submission: "single_service" | "multi_service";
  claimsAnyTime: boolean;
  servicesPane: Array<ClaimService & { componentCount: number; inClaim: boolean }>;
  componentsPane: Array<Omit<ClaimService, "closesAt"> & { components: Array<{ componentId: string; name: string; paymentType: string; inClaim: boolean }> }>;
  claimPane: { lines: Line[]; totals: { byService: Array<Omit<ClaimService, "closesAt"> & { total: Money }>; total: Money } };
  history: Array<{ at: string; by: string; byName?: string; action: string; from?: string; to: string; reason?: string;
    lines?: Array<{ lineId: string; reason: string }> }>;
  submittedAt: string | null;
  /** The decisions open to the caller now, if the claim waits for them. */
  decide: { stage: string; stageLabel: string; verdicts: Array<"approve" | "reject" | "return"> } | null;
}

export interface WorkListRow {
  id: number;
  status: Status;
  version: number;
  provider: { code: string; name: string };
  services: ClaimService[];
  periods: string[];
  total: Money | null;
  submittedAt: string | null;
  waitingSince: string | null;
  daysWaiting: number | null;
}

export interface WorkList {
  stage: string;
  stageLabel: string;
  commissioner?: string;
  provider?: string;
  items: WorkListRow[];
  nextCursor: string | null;
}

export interface BulkReport {
  service: { id: string; name: string };
  period: { key: string; label: string };
  created: number;
  alreadyClaimed: number;
  invalid: number;
  skipped: number;
  rows: Array<{ row: number; provider: string; outcome: "created" | "already_claimed" | "invalid" | "skipped";
    claimId?: number | null; detail?: string; problems?: Array<{ column: string; detail: string }> }>;
}

export interface Upload {
  attachment: Attachment;
  upload: { url: string; method: string; headers: Record<string, string>; expiresAt: string };
  version: number;
}
