// The client's view of the API, checked against docs/openapi.yaml: the types in
// src/generated/api.d.ts are generated from the document at every build, and
// each shape the screens read must agree with the one documented — every field
// the client reads is there, at every depth, with the same type. A drift
// between the document (kept true to the API by its tests) and the client
// breaks `npm run build`, naming the field.
import type { components } from "./generated/api";
import type * as Client from "./types";

type Documented = components["schemas"];

type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T;

/** The fields of `Mine` that `Doc` lacks or types differently, as "field" or "field: type". */
type Disagreements<Mine, Doc, At extends string = ""> = unknown extends Doc
  ? never // the document leaves it open
  : unknown extends Mine
    ? never // the client takes whatever comes
    : [NonNullable<Mine>] extends [readonly (infer Item)[]]
      ? NonNullable<Doc> extends readonly (infer DocItem)[]
        ? Disagreements<Item, DocItem, `${At}[]`>
        : `${At}: not a list`
      : [NonNullable<Mine>] extends [string | number | boolean]
        ? [NonNullable<Doc>] extends [Widen<NonNullable<Mine>>]
          ? never
          : `${At}: type differs`
        : NonNullable<Doc> extends object
          ? {
              [K in keyof NonNullable<Mine> & string]-?: K extends keyof NonNullable<Doc>
                ? Disagreements<NonNullable<Mine>[K], NonNullable<Doc>[K], `${At}.${K}`>
                : `${At}.${K}`;
            }[keyof NonNullable<Mine> & string]
          : `${At}: not an object`;

/** `true` when they agree; otherwise the disagreeing fields, which `true` is not assignable to. */
type Agrees<Mine, Doc> = [Disagreements<Mine, Doc>] extends [never] ? true : Disagreements<Mine, Doc>;

type ClaimLine = Documented["GetClaimAnswer"]["claimPane"]["lines"][number];

export const contract: {
  me: Agrees<Client.Me, Documented["GetMeAnswer"]>;
  availability: Agrees<Client.Availability, Documented["ClaimAvailabilityAnswer"]>;
  claimList: Agrees<Client.ClaimListItem, Documented["ListClaimsAnswer"]["items"][number]>;
  claimScreen: Agrees<Client.ClaimScreen, Documented["GetClaimAnswer"]>;
  line: Agrees<Client.Line, ClaimLine>;
  attachment: Agrees<Client.Attachment, ClaimLine["attachments"][number]>;
  upload: Agrees<Client.Upload, Documented["AddAttachmentAnswer"]>;
  workList: Agrees<Client.WorkList, Documented["ListReviewsAnswer"]>;
  bulkReport: Agrees<Client.BulkReport, Documented["BulkClaimUploadAnswer"]>;
} = { me: true, availability: true, claimList: true, claimScreen: true, line: true, attachment: true, upload: true,
  workList: true, bulkReport: true };
