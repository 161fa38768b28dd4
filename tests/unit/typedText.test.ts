import { quotable, typedText, withoutControls } from '../../src/text';
import { dilemmaFormSubmitSchema, responseSubmitSchema, statusSubmitSchema } from '../../src/features/dilemmas/model';
import { opbrengstSubmitSchema, sessionFormSubmitSchema } from '../../src/features/sessions/model';
import { itemSubmitSchema } from '../../src/features/agenda/model';
import { recordSubmitSchema } from '../../src/features/decisions/model';

// What a forged submit could carry: a NUL, a bell, a right-to-left override and its end, an isolate, a mark, a BOM.
const forged = 'A\u0000b\u0007c \u202Edraai\u202C \u2067iso\u2069 \u200Fmark\uFEFF.';
const clean = 'Abc draai iso mark.';

describe('typed text from a card', () => {
  it('loses control and direction characters, keeps line breaks, tabs, accents and emoji', () => {
    expect(withoutControls(forged)).toBe(clean);
    expect(withoutControls('één\r\ntwee\rdrie\u2028vier\u0085vijf\tzes 🏠👩‍👩‍👧')).toBe('één\ntwee\ndrie\nvier\nvijf\tzes 🏠👩‍👩‍👧');
    expect(typedText.parse(42)).toBe('42');
    expect(typedText.parse({ text: forged })).toBe('');
  });

  it('is cleaned in every form that saves typed text: dilemmas, responses, outcomes, sessions, agenda items, decisions', () => {
    const dilemma = dilemmaFormSubmitSchema.parse({
      verb: 'dilemmaSave', submissionId: 'abcdefgh-1', title: forged, description: forged, theme: 'overig', municipalities: 'regio',
      relatedPlan: forged, relatedPlanId: '', visibility: 'members', wantsAgenda: 'false',
    });
    expect([dilemma.title, dilemma.description, dilemma.relatedPlan]).toEqual([clean, clean, clean]);
    expect(responseSubmitSchema.parse({ id: 'D-2026-001', submissionId: 'abcdefgh-1', responseText: forged, wantsToTalk: 'false' }).responseText).toBe(clean);
    expect(statusSubmitSchema.parse({ id: 'D-2026-001', status: 'besproken', outcome: forged }).outcome).toBe(clean);
    const session = sessionFormSubmitSchema.parse({
      submissionId: 'abcdefgh-1', series: 'thema', title: forged, description: forged, date: '', startTime: '', endTime: '', deadlineDate: '',
      location: forged, hostOrganisation: forged, facilitatorName: forged, facilitator: '', capacity: '', audience: '',
    });
    expect([session.title, session.description, session.location, session.hostOrganisation, session.facilitatorName]).toEqual([clean, clean, clean, clean, clean]);
    expect(opbrengstSubmitSchema.parse({ sessionId: 'S-001', opbrengst: forged }).opbrengst).toBe(clean);
    const item = itemSubmitSchema.parse({ meetingId: 'BO-2027-01-28', 'itemTitle-new': forged, 'itemSummary-new': forged, 'itemSubmittedBy-new': forged });
    expect([item.title, item.summary, item.submittedBy]).toEqual([clean, clean, clean]);
    expect(recordSubmitSchema.parse({ meetingId: 'BO-2027-01-28', decisionText: forged }).decisionText).toBe(clean);
  });
});

describe('a quoted title in a sentence', () => {
  it('has no quotes inside quotes: its own become single ones', () => {
    expect(quotable('Praktijkleergang "Samenwerken aan meer betaalbare woningen" 1')).toBe('Praktijkleergang ‘Samenwerken aan meer betaalbare woningen’ 1');
    expect(quotable('Een „Dutch” titel en een losse " rest')).toBe('Een ‘Dutch’ titel en een losse ’ rest');
    expect(quotable('Gewone titel')).toBe('Gewone titel');
  });
});
