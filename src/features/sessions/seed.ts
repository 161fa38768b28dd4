// What `npm start` puts in an empty store: the four meetings of the learning track and one theme session.
// Invented details (places, topics); the organisations are the region's own, the people are not real.
// Dates count from the day the store is filled, so the story holds whenever it starts: the theme session is on
// the Thursday one to two weeks ahead, the demo BO (agenda) reflects on it two weeks later, and the learning
// track follows that BO. All on Thursdays, a working day.
import { newSessionState, type PersonRef, type Session } from './model';
import { addDays, endOfLocalDay, fromLocal, localDay, weekdayOnOrAfter } from '../../time';

type SessionDraft = Omit<Session, 'id'>;

interface Plan {
  series: Session['series'];
  title: string;
  description: string;
  /** Weeks after the theme session's Thursday (0 is the theme session itself). */
  week: number;
  from: string;
  to: string;
  /** Days before the session that sign-up closes. */
  deadlineDays: number;
  location: string;
  host: string;
  facilitatorName: string;
  capacity: number;
  lead?: boolean;
}

export const DEMO_THEME_SESSION_TITLE = 'Themasessie: sneller van plan naar bouw';

const TRACK = 'Praktijkleergang "Samenwerken aan meer betaalbare woningen"';

const PLANS: Plan[] = [
  {
    series: 'praktijkleergang',
    title: `${TRACK} 1: casus Stationskwartier`,
    description:
      'Eerste bijeenkomst. We werken aan een echte casus: een binnenstedelijke locatie met sociale huur en middenhuur. Wie doet wat, en waar loopt het vast? Platform31 begeleidt.',
    week: 5,
    from: '14:00',
    to: '17:00',
    deadlineDays: 7,
    location: 'Gemeentehuis Hilversum, vergaderzaal 2 (Voorbeeldplein 1, Hilversum)',
    host: 'Gemeente Hilversum',
    facilitatorName: 'Platform31',
    capacity: 12,
  },
  {
    series: 'praktijkleergang',
    title: `${TRACK} 2: theorie over grond en rendement`,
    description:
      'Tweede bijeenkomst. Theorie: hoe rekenen gemeente en corporatie aan grondprijs en rendement? We oefenen met elkaars taal en cijfers.',
    week: 11,
    from: '14:00',
    to: '17:00',
    deadlineDays: 7,
    location: 'Kantoor Dudok Wonen, zaal Dudok (Fictieweg 12, Hilversum)',
    host: 'Dudok Wonen',
    facilitatorName: 'Platform31',
    capacity: 20,
  },
  {
    series: 'praktijkleergang',
    title: `${TRACK} 3: casus kantoor wordt sociale huur`,
    description:
      'Derde bijeenkomst. Casus: een leeg kantoor wordt sociale huur. We kijken naar participatie, parkeren en de planning.',
    week: 17,
    from: '14:00',
    to: '17:00',
    deadlineDays: 7,
    location: 'Gemeentehuis Huizen, raadszaal (Proefstraat 5, Huizen)',
    host: 'Gemeente Huizen',
    facilitatorName: 'Platform31',
    capacity: 20,
  },
  {
    series: 'praktijkleergang',
    title: `${TRACK} 4: theorie over samen programmeren`,
    description:
      'Laatste bijeenkomst. Theorie en afsluiting: hoe programmeren we samen de plannen van de 50+-lijst? Wat nemen we mee naar het BO?',
    week: 22,
    from: '14:00',
    to: '17:00',
    deadlineDays: 7,
    location: 'Kantoor de Alliantie, zaal Gooi (Bedachtlaan 8, Huizen)',
    host: 'de Alliantie',
    facilitatorName: 'Platform31',
    capacity: 20,
  },
  {
    series: 'themasessie',
    title: DEMO_THEME_SESSION_TITLE,
    description:
      'Het Expertteam Woningbouw deelt wat helpt om plannen sneller te laten starten. In het volgende BO kijken we samen terug.',
    week: 0,
    from: '10:00',
    to: '12:00',
    deadlineDays: 2,
    location: 'Regiokantoor Gooi en Vechtstreek, BO-zaal (Verzonnenweg 3, Bussum)',
    host: 'Regio Gooi en Vechtstreek',
    facilitatorName: 'RVO / Expertteam Woningbouw',
    capacity: 25,
    lead: true,
  },
];

/** The Amsterdam day (YYYY-MM-DD) `days` after the first Thursday at least a week after `now`. */
function thursdayAfter(now: Date, days: number): string {
  // 4 is Thursday.
  return addDays(weekdayOnOrAfter(localDay(new Date(now.getTime() + 7 * 86_400_000)), 4), days);
}

/** When the demo theme session starts: Thursday 10:00, one to two weeks after `now` (the demo BO reflects on it). */
export function demoThemeSessionStart(now: Date): Date {
  return fromLocal(thursdayAfter(now, 0), '10:00')!;
}

/** The seed sessions; the theme session is led by `facilitator` when there is a gespreksleider to name. */
export function seedDrafts(now: Date, facilitator: PersonRef | null): SessionDraft[] {
  return PLANS.map((p) => {
    const date = thursdayAfter(now, p.week * 7);
    const startsAt = fromLocal(date, p.from)!;
    const endsAt = fromLocal(date, p.to)!;
    const deadline = thursdayAfter(now, p.week * 7 - p.deadlineDays);
    return {
      series: p.series,
      title: p.title,
      description: p.description,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      signupDeadline: endOfLocalDay(deadline)!.toISOString(),
      location: p.location,
      hostOrganisation: p.host,
      facilitatorName: p.facilitatorName,
      facilitator: p.lead ? facilitator : null,
      capacity: p.capacity,
      audience: ['wethouder', 'directeur-bestuurder'],
      ...newSessionState(now),
    };
  });
}
