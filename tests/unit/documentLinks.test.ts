import { documentLink, documentName } from '../../src/cards/markdown';
import { agendaItemCard } from '../../src/features/agenda/cards';
import type { BoMeeting } from '../../src/features/agenda/model';

describe('a document link says what it opens', () => {
  it('is named by its file name and site, or the site alone, never a number', () => {
    expect(documentName('https://stukken.example.org/bo/2027/Verslag%20BO%20januari.pdf')).toBe('Verslag BO januari.pdf (stukken.example.org)');
    expect(documentName('https://www.example.nl/')).toBe('example.nl');
    expect(documentName('https://example.nl/a/%E0%A4%A')).toBe('%E0%A4%A (example.nl)');
    // Brackets in a name or address do not break the link.
    expect(documentLink('https://example.nl/stuk_[1]_(def).pdf')).toBe('[stuk\\_ 1 \\_(def).pdf (example.nl)](https://example.nl/stuk_[1]_%28def%29.pdf)');
  });

  it('names each document of an agenda item on its own line', () => {
    const meeting: BoMeeting = {
      id: 'BO-2027-01-28',
      startsAt: '2027-01-28T13:00:00.000Z',
      place: 'Hilversum',
      status: 'gepland',
      items: [
        {
          id: 'abcdef123456',
          type: 'bespreking',
          title: 'Woningbouwprogramma',
          summary: '',
          submittedBy: '',
          links: ['https://stukken.example.org/bo/programma-2027.pdf', 'https://intranet.example.nl/'],
        },
      ],
    } as unknown as BoMeeting;
    const text = JSON.stringify(agendaItemCard('nl', { meeting, item: meeting.items[0]!, manage: false }));
    expect(text).toContain('- [programma-2027.pdf (stukken.example.org)](https://stukken.example.org/bo/programma-2027.pdf)');
    expect(text).toContain('- [intranet.example.nl](https://intranet.example.nl/)');
    expect(text).not.toMatch(/\[\d+\]\(/);
  });
});
