// What the agenda capability adds to the digest itself: the next meeting's new items. Other capabilities add
// their own sections (dilemmas: the new dilemmas each reader may see).
import type { DigestSection, DigestSource, DigestViewer } from '../../capability';
import { itemTitle } from './cards';
import { t } from './messages';
import type { AgendaService } from './service';

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
      return sections;
    },
  };
}
