// A patient's audit trail, checked in the browser, and the accounting of disclosures as CSV and as
// FHIR R5 `AuditEvent` resources. The hash chain is docs/ehr-domain.md's:
//   h0 = BLAKE2b-256("ehr/audit/v1" ‖ patient),  hi = BLAKE2b-256(h(i-1) ‖ SCALE(entry i-1));
// `foldTrail` is the same function the end-to-end tests check against the runtime.
import { u8aEq, u8aToHex } from '@polkadot/util';
import { foldTrail } from '../../e2e/lib/ehr.js';
import { allDisclosures } from '../../e2e/lib/privacy.js';

const PAGE = 100;

/**
 * Reads every retained entry of `patient` and folds them onto the trail's anchor. Resolves with
 * `{ state, head, count, firstRetained, entries }`: `state` is 'verified' when the entries fold
 * to the head the chain stores, 'tampered' when they do not (an entry changed, dropped, inserted
 * or reordered between the chain and this page), 'empty' for a patient without a trail.
 * `read(from, limit)` may replace the runtime call (the entries as some other copy has them).
 */
export async function checkTrail(api, patient, read = null) {
  const trailHead = await api.call.auditApi.trailHead(patient);
  if (trailHead.isNone) return { state: 'empty', entries: [] };
  const head = trailHead.unwrap();
  const first = head.firstRetained.toBigInt();
  const count = head.count.toBigInt();
  const fetch = read ?? ((from, limit) => api.call.auditApi.trail(patient, from, limit));
  const entries = [];
  for (let from = first; from < count; from += BigInt(PAGE)) {
    const page = await fetch(from, PAGE);
    if (page.length === 0) break;
    entries.push(...page);
  }
  const folded = foldTrail(head.anchor.toU8a(), entries.map((e) => e.toU8a()));
  const ok = entries.length === Number(count - first) && u8aEq(folded, head.head.toU8a());
  return {
    state: ok ? 'verified' : 'tampered',
    head: head.head.toHex(),
    folded: u8aToHex(folded),
    count: Number(count),
    firstRetained: Number(first),
    entries,
  };
}

/** Every successful disclosure of `patient` between `fromMs` and `toMs`, oldest first. */
export const disclosures = allDisclosures;

/** One entry in plain fields, for tables, CSV and FHIR. */
export function plain(entry) {
  const actor = entry.actor.isAccount ? entry.actor.asAccount.toString() : 'governance';
  let entity = 'patient';
  if (entry.entity.isRecord) entity = `record ${entry.entity.asRecord.toString()}`;
  else if (entry.entity.isConsent) entity = `consent ${entry.entity.asConsent.toString()}`;
  else if (entry.entity.isAgent) entity = `agent ${entry.entity.asAgent.toString()}`;
  else if (entry.entity.isEmergency) entity = `emergency window of ${entry.entity.asEmergency.provider.toString()}`;
  const outcome = entry.outcome.isSuccess ? 'success' : `denied: ${entry.outcome.asDenied.type}`;
  return {
    index: entry.index.toNumber(),
    block: entry.block.toNumber(),
    time: new Date(entry.time.toNumber()).toISOString(),
    actor,
    organisation: entry.organisation.isSome ? entry.organisation.unwrap().toNumber() : null,
    action: entry.action.type,
    entity,
    purpose: entry.purpose.isSome ? entry.purpose.unwrap().type : null,
    outcome,
  };
}

const csvField = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Entries as CSV, one line per entry with a header. */
export function toCsv(entries) {
  const rows = entries.map(plain);
  const columns = ['index', 'block', 'time', 'actor', 'organisation', 'action', 'entity', 'purpose', 'outcome'];
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n')}\n`;
}

// HL7 v3 ActReason codes for the purposes of use (FHIR R5 `AuditEvent.authorization`).
const PURPOSE_CODES = {
  Treatment: 'TREAT', EmergencyTreatment: 'ETREAT', Payment: 'HPAYMT', Operations: 'HOPERAT',
  Research: 'HRESCH', PublicHealth: 'PUBHLTH', PatientRequest: 'PATRQT',
};

/**
 * Entries as a FHIR R5 `Bundle` (type `collection`) of `AuditEvent` resources: a read is
 * `action` R with subtype `access`; `recorded` the block's time; the agent the provider's
 * account (and organisation); the entity the record; `patient` the pseudonymous id.
 */
export function toFhir(patient, entries) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    entry: entries.map(plain).map((e) => ({
      resource: {
        resourceType: 'AuditEvent',
        id: `${patient.slice(2, 18)}-${e.index}`,
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' }] }],
        code: { coding: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read', display: 'read' }], text: e.action },
        action: 'R',
        recorded: e.time,
        outcome: { code: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-outcome', code: e.outcome === 'success' ? '0' : '4' } },
        // R5 renamed R4's purposeOfEvent to authorization (the PurposeOfUse codes).
        authorization: e.purpose ? [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: PURPOSE_CODES[e.purpose] ?? e.purpose }] }] : [],
        agent: [{
          who: { identifier: { system: 'urn:ehr-chain:account', value: e.actor } },
          ...(e.organisation !== null ? { onBehalfOf: { identifier: { system: 'urn:ehr-chain:organisation', value: String(e.organisation) } } } : {}),
          requestor: true,
        }],
        source: { observer: { display: `EHR consortium chain, block ${e.block}` } },
        patient: { identifier: { system: 'urn:ehr-chain:patient', value: patient } },
        entity: [{ what: { identifier: { system: 'urn:ehr-chain:record', value: e.entity.replace(/^record /, '') } } }],
      },
    })),
  };
}
