// The capabilities of BO Wonen, in build order (a capability may use the services of those above it).
// Adding a capability: a folder under src/features/ with an index.ts, and one line here.
import type { ManifestCommand, ServicesOf } from './capability';
import { members } from './features/members';
import { dilemmas } from './features/dilemmas';
import { plans } from './features/plans';
import { sessions } from './features/sessions';
import { agenda } from './features/agenda';
import { decisions } from './features/decisions';
import { expertise } from './features/expertise';

export const CAPABILITIES = [members, dilemmas, plans, sessions, agenda, decisions, expertise] as const;

export type CapabilityServices = ServicesOf<typeof CAPABILITIES>;

/** The core's own command in the Teams menu: the welcome card. */
export const CORE_COMMANDS: readonly ManifestCommand[] = [
  {
    title: 'help',
    description: { nl: 'Zie alles wat je met BO Wonen kunt doen.', en: 'See everything you can do with BO Wonen.' },
    scopes: ['personal', 'team', 'groupChat'],
  },
];
