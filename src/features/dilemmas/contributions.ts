// What the dilemmas capability adds to others: its section of each person's digest (new dilemmas the reader
// may see) and the dilemmas the secretariaat may put on the next BO agenda. Its own rule (`canSee`) decides.
import type { AgendaCandidate, DigestSection, DigestSource, DigestViewer } from '../../capability';
import type { Member } from '../../identity';
import type { MemberService } from '../members';
import { t } from './messages';
import type { DilemmaSummary, ListFilter } from './model';
import { canSee, type DilemmaService, type Viewer } from './service';

/** How far back a digest looks for new dilemmas, and how many it reads at most (pages of the newest-first list). */
const DIGEST_LOOKBACK_DAYS = 35;
const DIGEST_MAX_DILEMMAS = 200;
/** A digest goes to 2,000 people within seconds: the list they are cut from is read at most this often. */
const RECENT_MS = 3_000;

/** The newest dilemmas a viewer may see, page by page, until they are older than the look-back or the cap. */
async function newestDilemmas(dilemmas: DilemmaService, viewer: Viewer, filter: ListFilter): Promise<DilemmaSummary[]> {
  const oldest = new Date(Date.now() - DIGEST_LOOKBACK_DAYS * 24 * 3_600_000).toISOString();
  const out: DilemmaSummary[] = [];
  let after: string | undefined;
  do {
    const page = await dilemmas.list(viewer, filter, after);
    out.push(...page.items);
    after = page.next;
    if (page.items.some((d) => d.createdAt < oldest)) break;
  } while (after && out.length < DIGEST_MAX_DILEMMAS);
  return out.filter((d) => d.createdAt >= oldest);
}

/** Each reader's digest section: the new dilemmas they may see, cut from the secretariaat's list with `canSee`. */
export function dilemmaDigest(dilemmas: DilemmaService, members: MemberService): DigestSource {
  let recent: { at: number; list: Promise<DilemmaSummary[]> } | undefined;
  const everything = (): Promise<DilemmaSummary[]> => {
    if (!recent || Date.now() - recent.at > RECENT_MS) {
      const list = members.secretariaat().then(([admin]) => (admin ? newestDilemmas(dilemmas, { member: admin, shared: false }, {}) : []));
      list.catch(() => (recent = undefined));
      recent = { at: Date.now(), list };
    }
    return recent.list;
  };
  return {
    async sections(viewer: DigestViewer, since: Date): Promise<DigestSection[]> {
      const { locale } = viewer;
      // A gespreksleider, for one, sees none; a shared chat sees no confidential one.
      const reader = { member: viewer.member, shared: viewer.shared };
      const newer = (await everything()).filter((d) => canSee(reader, d) && d.createdAt >= since.toISOString());
      return [
        {
          title: t(locale, 'digest.newDilemmas'),
          items: newer.slice(0, 8).map((d) => ({
            text: `**${d.id}** ${d.title}`,
            action: { title: t(locale, 'digest.open'), data: { verb: 'dilemmaOpen', id: d.id } },
          })),
        },
      ];
    },
  };
}

/** Dilemmas whose author asked for the BO agenda and that are still new. A confidential one goes without its title. */
export function dilemmaCandidates(dilemmas: DilemmaService): (actor: Member) => Promise<AgendaCandidate[]> {
  return async (actor) => {
    const viewer = { member: actor, shared: false };
    const wanted = (await newestDilemmas(dilemmas, viewer, { status: 'nieuw' })).filter((d) => d.wantsAgenda).slice(0, 20);
    return Promise.all(
      wanted.map(async (d) => ({
        source: 'dilemmas',
        ref: d.id,
        title: d.visibility === 'confidential' ? `${d.id} (vertrouwelijk)` : d.title,
        summary: d.visibility === 'confidential' ? '' : (await dilemmas.get(viewer, d.id)).dilemma.description.slice(0, 300),
        organisationId: d.author.organisationId,
        // On the agenda, a new dilemma becomes "geagendeerd" (its author is told).
        onPlaced: async () => {
          const { dilemma } = await dilemmas.get(viewer, d.id);
          if (dilemma.status === 'nieuw') await dilemmas.setStatus(viewer, d.id, 'geagendeerd', dilemma.outcome);
        },
      })),
    );
  };
}
