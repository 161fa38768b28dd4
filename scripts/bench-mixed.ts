// The mixed-load part of `npm run bench`: many members using every command at once for a while against one
// bot process on Azurite; p50 / p95 per command, errors (an apology, an HTTP error, no answer), and the
// bot's memory before and after.
import { AUDIT_TABLE, AuditLog } from '../src/core/audit';
import type { Config } from '../src/config';
import { MemberService } from '../src/features/members/service';
import { MemberStore } from '../src/features/members/store';
import { createTables } from '../src/storage/tables';
import { tablesOf } from '../src/capability';
import { CAPABILITIES } from '../src/capabilities';
import { REFERENCE_TABLE } from '../src/proactive/references';

export interface MixedMember {
  aadObjectId: string;
  name: string;
}

/**
 * What a member says in the mixed scenario: every command a member has, with a few arguments, weighted as
 * people would use them (reading lists and cards often, exporting their data rarely).
 */
export const MIXED_COMMANDS: Array<{ name: string; weight: number; text: (i: number) => string }> = [
  { name: 'help', weight: 3, text: () => 'help' },
  { name: "dilemma's", weight: 3, text: () => "dilemma's" },
  { name: "dilemma's <woord>", weight: 2, text: (i) => `dilemma's ${['woning', 'grond', 'stikstof', 'netcongestie', 'huur'][i % 5]}` },
  { name: 'dilemma <id>', weight: 3, text: (i) => `dilemma D-2025-${String(((i * 37) % 9000) + 1).padStart(3, '0')}` },
  { name: 'dilemma (form)', weight: 1, text: () => 'dilemma' },
  { name: 'plannen', weight: 2, text: () => 'plannen' },
  { name: 'voortgang', weight: 1, text: () => 'voortgang' },
  { name: 'sessies', weight: 2, text: () => 'sessies' },
  { name: 'agenda', weight: 2, text: () => 'agenda' },
  { name: 'digest', weight: 1, text: () => 'digest' },
  { name: 'mijn gegevens', weight: 1, text: () => 'mijn gegevens' },
];

/** The commands in the order members take them, each as often as its weight. */
const SCHEDULE = MIXED_COMMANDS.flatMap((c) => Array.from({ length: c.weight }, () => c));

export function mixedMembers(count: number): MixedMember[] {
  return Array.from({ length: count }, (_, i) => ({
    aadObjectId: `cccccccc-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: `Bedacht Lid ${i + 1}`,
  }));
}

/** Registers the mixed scenario's members (wethouders and directeur-bestuurders) in the bench's store. */
export async function seedMixedMembers(storage: Config['storage'], tenantId: string, members: MixedMember[]): Promise<void> {
  const tables = createTables(storage);
  await tables.ensure(tablesOf(CAPABILITIES, [REFERENCE_TABLE, AUDIT_TABLE]));
  await new MemberService(new MemberStore(tables), [], undefined, 0, new AuditLog(tables)).seed(
    members.map((m, i) => ({ tenantId, ...m, organisationId: i % 2 ? 'dudok-wonen' : 'hilversum', role: i % 2 ? 'directeur-bestuurder' : 'wethouder' })),
  );
}

export interface MixedResult {
  perCommand: Record<string, number[]>;
  errors: Record<string, number>;
  turns: number;
  seconds: number;
}

/**
 * Runs the scenario: each member says something, waits for the answer, reads it (`thinkMs`), and says the
 * next thing, for `seconds`. `say` returns the round trip in ms, or throws for an error.
 */
export async function runMixed(
  members: MixedMember[],
  seconds: number,
  say: (member: MixedMember, text: string) => Promise<{ ms: number; apology: boolean }>,
  /** A person reads the answer before the next command; 0 makes each member a closed loop at full speed. */
  thinkMs = 1000,
): Promise<MixedResult> {
  const perCommand: Record<string, number[]> = Object.fromEntries(MIXED_COMMANDS.map((c) => [c.name, []]));
  const errors: Record<string, number> = {};
  const until = Date.now() + seconds * 1000;
  let turns = 0;
  await Promise.all(
    members.map(async (member, m) => {
      for (let i = m; Date.now() < until; i++) {
        const command = SCHEDULE[i % SCHEDULE.length]!;
        turns++;
        try {
          const { ms, apology } = await say(member, command.text(i));
          if (apology) errors[command.name] = (errors[command.name] ?? 0) + 1;
          else perCommand[command.name]!.push(ms);
        } catch {
          errors[command.name] = (errors[command.name] ?? 0) + 1;
        }
        // Start the members spread out, then keep a person's pace.
        await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
      }
    }),
  );
  return { perCommand, errors, turns, seconds };
}
