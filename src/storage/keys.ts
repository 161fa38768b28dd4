// The one place that names tables and builds PartitionKey/RowKey values.

/** Logical table names; the configured prefix is put in front of each. */
export const TABLES = {
  botState: 'BotState',
  members: 'Members',
  accessRequests: 'AccessRequests',
  organisations: 'Organisations',
  conversations: 'Conversations',
  dilemmas: 'Dilemmas',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];

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

export const keys = {
  botState: (storageKey: string) => ({ partitionKey: 'state', rowKey: encodeKey(storageKey) }),
  member: (tenantId: string, aadObjectId: string) => ({ partitionKey: 'member', rowKey: personKey(tenantId, aadObjectId) }),
  memberPartition: 'member',
  accessRequest: (tenantId: string, aadObjectId: string) => ({
    partitionKey: 'request',
    rowKey: personKey(tenantId, aadObjectId),
  }),
  accessRequestPartition: 'request',
  organisation: (id: string) => ({ partitionKey: 'organisation', rowKey: encodeKey(id) }),
  organisationPartition: 'organisation',
  /** A conversation the bot is in (personal chat, group chat, channel). */
  conversation: (conversationId: string) => ({ partitionKey: 'conversation', rowKey: encodeKey(conversationId) }),
  conversationPartition: 'conversation',
  dilemma: (id: string) => ({ partitionKey: 'dilemma', rowKey: encodeKey(id) }),
  dilemmaPartition: 'dilemma',
  /** One counter per year, so numbers are D-2026-001, D-2026-002, … */
  dilemmaSequence: (year: number) => ({ partitionKey: 'sequence', rowKey: String(year) }),
  /**
   * A form's submission id per person, so a double click or a resent submit makes one dilemma (or one
   * response). Per person: a card in a channel is the same card, with the same id, for everyone there.
   */
  submission: (kind: 'dilemma' | 'response', owner: string, submissionId: string) => ({
    partitionKey: 'submission',
    rowKey: `${kind}|${encodeKey(owner)}|${encodeKey(submissionId)}`,
  }),
  /** Responses of one dilemma; the row key is the response's number, so they list in the order they came in. */
  dilemmaResponse: (dilemmaId: string, sequence: number) => ({
    partitionKey: `response|${encodeKey(dilemmaId)}`,
    rowKey: String(sequence).padStart(6, '0'),
  }),
  dilemmaResponsePartition: (dilemmaId: string) => `response|${encodeKey(dilemmaId)}`,
  /** The personal chat of one person, so the bot can reach them proactively. */
  personalChat: (tenantId: string, aadObjectId: string) => ({
    partitionKey: 'personal',
    rowKey: personKey(tenantId, aadObjectId),
  }),
  personalChatPartition: 'personal',
};

/** An OData string literal, quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
