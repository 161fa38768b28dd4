// What sessions add to each person's digest (upcoming sessions with seats left), and to the BO agenda's
// candidates (recorded opbrengsten not yet discussed: the BO after a theme session reflects on it).
import type { AgendaCandidate, DigestSection, DigestSource, DigestViewer } from '../../capability';
import { Refusal } from '../../errors';
import type { Member } from '../../identity';
import { dayText } from './cards';
import { t } from './messages';
import type { SessionService } from './service';

const MAX_ITEMS = 5;

export function sessionDigest(sessions: SessionService): DigestSource {
  return {
    async sections(viewer: DigestViewer): Promise<DigestSection[]> {
      const { locale } = viewer;
      let open;
      try {
        open = (await sessions.upcoming(viewer.member)).filter((v) => v.status === 'open' && v.seatsLeft > 0 && !v.mine);
      } catch (err) {
        if (err instanceof Refusal) return [];
        throw err;
      }
      if (!open.length) return [];
      return [
        {
          title: t(locale, 'session.digest.seatsLeft'),
          items: open.slice(0, MAX_ITEMS).map((v) => ({
            text: t(locale, 'session.digest.line', { title: v.session.title, day: dayText(v.session.startsAt, locale), seats: v.seatsLeft }),
            action: { title: t(locale, 'session.digest.view'), data: { verb: 'command', command: 'sessies' } },
          })),
        },
      ];
    },
  };
}

export function opbrengstCandidates(sessions: SessionService): (actor: Member) => Promise<AgendaCandidate[]> {
  return async () =>
    (await sessions.opbrengstenNotOnAgenda()).map((s) => ({
      source: 'sessions',
      ref: s.id,
      // Agenda items are kept in Dutch, the language of the BO.
      title: t('nl', 'session.agenda.reflection', { title: s.title }),
      summary: s.opbrengst.slice(0, 300),
      onPlaced: (meetingId: string) => sessions.markOpbrengstOnAgenda(s.id, meetingId),
    }));
}
