// The dilemma part of `npm run bench`: fills the bench's store with many invented dilemmas, fast (rows written
// through the store in batches, not through chat turns), and a reader who is a plain member.
import { AUDIT_TABLE, AuditLog } from '../src/core/audit';
import { createTables } from '../src/storage/tables';
import { tablesOf } from '../src/capability';
import { CAPABILITIES } from '../src/capabilities';
import { REFERENCE_TABLE } from '../src/proactive/references';
import { DilemmaStore } from '../src/features/dilemmas/store';
import { formatId } from '../src/features/dilemmas/service';
import { THEMES, type Dilemma, type DilemmaStatus } from '../src/features/dilemmas/model';
import { MemberStore } from '../src/features/members/store';
import { MemberService } from '../src/features/members/service';
import { personKey } from '../src/storage/keys';
import type { Config } from '../src/config';

const MUNICIPALITIES = ['blaricum', 'gooise-meren', 'hilversum', 'huizen', 'laren', 'wijdemeren', 'regio'];
const ORGANISATIONS = ['hilversum', 'huizen', 'laren', 'de-alliantie', 'dudok-wonen', 'ymere', 'gooi-en-omstreken'];
const STEMS = ['woning', 'grond', 'huur', 'net', 'parkeer', 'water', 'weg', 'school', 'zorg', 'energie', 'bezwaar', 'stikstof', 'bouw', 'koop', 'plan'];
const ENDINGS = ['', 'bouw', 'prijs', 'kosten', 'markt', 'zoekenden', 'vergunning', 'ontwikkeling', 'capaciteit', 'aanvraag', 'beleid', 'norm'];
const WORDS = STEMS.flatMap((s) => ENDINGS.map((e) => s + e));
const FILLER = 'de gemeente en de corporatie willen sneller bouwen maar lopen vast op het tempo van de procedure'.split(' ');

/** A small deterministic random source, so every run seeds the same store. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const SEED_YEAR = 2025;

/** The invented dilemmas: spread over a year, every theme and municipality, some confidential or withdrawn. */
export function benchDilemmas(count: number, tenantId: string): Dilemma[] {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const start = Date.parse(`${SEED_YEAR}-01-01T08:00:00Z`);
  const step = (365 * 24 * 3600 * 1000) / count;
  return Array.from({ length: count }, (_, i) => {
    const r = rnd();
    const status: DilemmaStatus = r < 0.02 ? 'ingetrokken' : r < 0.7 ? 'nieuw' : r < 0.85 ? 'geagendeerd' : r < 0.95 ? 'besproken' : 'afgerond';
    const municipalities = rnd() < 0.15 ? ['regio'] : [...new Set([pick(MUNICIPALITIES.slice(0, 6)), pick(MUNICIPALITIES.slice(0, 6))])];
    const words = Array.from({ length: 14 }, () => (rnd() < 0.6 ? pick(WORDS) : pick(FILLER)));
    const createdAt = new Date(start + Math.floor(i * step)).toISOString();
    const authorN = Math.floor(rnd() * 40);
    return {
      id: formatId(SEED_YEAR, i + 1),
      title: `${pick(WORDS)} en ${pick(WORDS)} in ${pick(MUNICIPALITIES.slice(0, 6))}`,
      description: `${words.join(' ')}. Hoe lossen anderen dit op?`,
      theme: pick(THEMES).id,
      municipalities,
      relatedPlan: '',
      relatedPlanId: '',
      visibility: rnd() < 0.05 ? 'confidential' : 'members',
      wantsAgenda: rnd() < 0.2,
      status,
      outcome: status === 'besproken' || status === 'afgerond' ? 'Besproken in het BO.' : '',
      author: { tenantId, aadObjectId: `bench-author-${authorN}`, name: `Bedachte Melder ${authorN}`, organisationId: pick(ORGANISATIONS) },
      recognisedBy: Array.from({ length: Math.floor(rnd() * 4) }, (_, k) => personKey(tenantId, `bench-recogniser-${k}`)),
      responseCount: 0,
      createdAt,
      updatedAt: createdAt,
    };
  });
}

/** Seeds `count` dilemmas and a plain member (a wethouder) into the store a running bench bot uses. */
export async function seedBenchStore(
  storage: Config['storage'],
  count: number,
  reader: { tenantId: string; aadObjectId: string; name: string },
): Promise<void> {
  const tables = createTables(storage);
  await tables.ensure(tablesOf(CAPABILITIES, [REFERENCE_TABLE, AUDIT_TABLE]));
  await new DilemmaStore(tables).bulkCreate(benchDilemmas(count, reader.tenantId), 8);
  await new MemberService(new MemberStore(tables), [], undefined, 0, new AuditLog(tables)).seed([{ ...reader, organisationId: 'huizen', role: 'wethouder' }]);
}
