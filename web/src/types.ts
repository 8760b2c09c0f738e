// The API's shapes as the screens read them, named from the generated
// document: src/generated/api.d.ts is made from docs/openapi.yaml at every
// build, and that document is made from the server's own types
// (infra/openapi.py). Nothing here is written by hand, so a change to an
// answer that a screen reads breaks `npm run build`, at the screen.
import type { components } from "./generated/api";

type Schemas = components["schemas"];

export type Money = Schemas["MoneyView"];
export type Status = Schemas["StatusView"];
export type Me = Schemas["GetMeAnswer"];
export type Membership = Schemas["MembershipView"];
export type Availability = Schemas["ClaimAvailabilityAnswer"];
export type ClaimService = Schemas["ClaimService"];
export type ClaimListItem = Schemas["ListClaimsAnswer"]["items"][number];
export type ClaimScreen = Schemas["GetClaimAnswer"];
export type Line = Schemas["LineView"];
export type Attachment = Schemas["FileView"];
export type Question = Schemas["QuestionView"];
export type WorkList = Schemas["ListReviewsAnswer"];
export type WorkListRow = WorkList["items"][number];
export type BulkReport = Schemas["BulkClaimUploadAnswer"];
export type Upload = Schemas["AddAttachmentAnswer"];
export type RequestableRole = Schemas["RequestableRole"];
