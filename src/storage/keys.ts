// Key encoding shared by every store. Each store (a capability's store.ts) names its own tables and keys.

// PartitionKey and RowKey forbid / \ # ? and control characters; % is escaped too so decoding is exact.
const FORBIDDEN = /[%/\\#?\u0000-\u001f\u007f-\u009f]/g;

/** Makes any string safe as a PartitionKey or RowKey; reversible with decodeKey. */
export function encodeKey(value: string): string {
  return value.replace(FORBIDDEN, (ch) => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase());
}

export function decodeKey(value: string): string {
  return value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Identity of a person across tenants: Entra object ids are only unique per tenant. */
export function personKey(tenantId: string, aadObjectId: string): string {
  return encodeKey(`${tenantId.toLowerCase()}|${aadObjectId.toLowerCase()}`);
}
