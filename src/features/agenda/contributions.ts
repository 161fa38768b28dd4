// What the agenda capability adds to the digest itself (the next meeting's new items, and new dilemmas the
// reader may see) and the dilemmas it offers as agenda candidates. The dilemmas' own rules decide who sees
// what: everything goes through DilemmaService.list with the reader as viewer.
import type { AgendaCandidate, DigestSection, DigestSource, DigestViewer } from '../../capability';
import type { Member } from '../../identity';
import type { DilemmaService } from '../dilemmas';
import { canSee } from '../dilemmas/service';
import { itemTitle } from './cards';
import { t } from './messages';
import { newestDilemmas, type AgendaService } from './service';

export function agendaDigest(agenda: AgendaService): DigestSource {
  return {
    async sections(viewer: DigestViewer, since: Date): Promise<DigestSection[]> {
      const { locale } = viewer;
      const sections: DigestSection[] = [];
      const meeting = await agenda.recent.meeting.get();
      if (meeting) {
        const fresh = meeting.items.filter((i) => !i.standard && (meeting.addedAt[i.id] ?? '') >= since.toISOString());
        sections.push({
          title: t(locale, 'digest.newOnAgenda'),
          items: fresh.map((i) => ({ text: `${itemTitle(locale, i)} — ${t(locale, `agenda.type.${i.type}`)}` })),
        });
      }
      // The dilemmas' own rule decides, reader by reader (a gespreksleider, for one, sees none).
      const reader = { member: viewer.member, shared: viewer.shared };
      const visible = (await agenda.recent.dilemmas.get()).filter((d) => canSee(reader, d));
      const newer = visible.filter((d) => d.createdAt >= since.toISOString());
      sections.push({
        title: t(locale, 'digest.newDilemmas'),
        items: newer.slice(0, 8).map((d) => ({
          text: `**${d.id}** ${d.title}`,
          action: { title: t(locale, 'digest.open'), data: { verb: 'dilemmaOpen', id: d.id } },
        })),
      });
      return sections;
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
        // On the agenda, a new dilemma becomes "geagendeerd" (the dilemmas capability tells its author).
        onPlaced: async () => {
          const { dilemma } = await dilemmas.get(viewer, d.id);
          if (dilemma.status === 'nieuw') await dilemmas.setStatus(viewer, d.id, 'geagendeerd', dilemma.outcome);
        },
      })),
    );
  };
}
