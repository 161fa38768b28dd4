// Expertise profiles in Table Storage: the only code that knows their keys.
import type { TableClient } from '@azure/data-tables';
import type { Tables } from '../../storage/tables';
import { personKey } from '../../storage/keys';
import type { PersonId } from '../../identity';
import { profileSchema, type Profile } from './model';

export const EXPERTISE_TABLES = { profiles: 'ExpertiseProfiles' } as const;
const PARTITION = 'profile';

export interface StoredProfile {
  person: PersonId;
  profile: Profile;
}

export class ExpertiseStore {
  private readonly table: TableClient;

  constructor(tables: Tables) {
    this.table = tables.client(EXPERTISE_TABLES.profiles);
  }

  async get(person: PersonId): Promise<Profile | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(PARTITION, personKey(person.tenantId, person.aadObjectId));
      return parse(row);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  async put(person: PersonId, profile: Profile): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: PARTITION,
        rowKey: personKey(person.tenantId, person.aadObjectId),
        tenantId: person.tenantId,
        aadObjectId: person.aadObjectId,
        ...profile,
        themes: JSON.stringify(profile.themes),
      },
      'Replace',
    );
  }

  async remove(person: PersonId): Promise<void> {
    try {
      await this.table.deleteEntity(PARTITION, personKey(person.tenantId, person.aadObjectId));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  /** Every profile (a few hundred at most: one per member who set one). */
  async all(): Promise<StoredProfile[]> {
    const out: StoredProfile[] = [];
    const filter = `PartitionKey eq '${PARTITION}'`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ person: { tenantId: String(row.tenantId), aadObjectId: String(row.aadObjectId) }, profile: parse(row) });
    }
    return out;
  }
}

function parse(row: Record<string, unknown>): Profile {
  return profileSchema.parse({
    themes: JSON.parse(String(row.themes ?? '[]')),
    words: row.words ?? '',
    findable: row.findable !== false,
    upn: row.upn ?? '',
    updatedAt: row.updatedAt ?? '',
  });
}
