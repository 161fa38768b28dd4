// What `npm start` puts in an empty store: the four meetings of the learning track and one theme session.
// Invented details (places, topics); the organisations are the region's own, the people are not real.
import { newSessionState, type PersonRef, type Session } from './model';
import { endOfLocalDay, fromLocal } from './time';

export type SessionDraft = Omit<Session, 'id'>;

interface Plan {
  series: Session['series'];
  title: string;
  description: string;
  date: string;
  from: string;
  to: string;
  deadline: string;
  location: string;
  host: string;
  facilitatorName: string;
  capacity: number;
  lead?: boolean;
}

const TRACK = 'Praktijkleergang "Samenwerken aan meer betaalbare woningen"';

const PLANS: Plan[] = [
  {
    series: 'praktijkleergang',
    title: `${TRACK} 1: casus Stationskwartier`,
    description:
      'Eerste bijeenkomst. We werken aan een echte casus: een binnenstedelijke locatie met sociale huur en middenhuur. Wie doet wat, en waar loopt het vast? Platform31 begeleidt.',
    date: '2027-02-11',
    from: '14:00',
    to: '17:00',
    deadline: '2027-02-04',
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
    date: '2027-03-25',
    from: '14:00',
    to: '17:00',
    deadline: '2027-03-18',
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
    date: '2027-05-20',
    from: '14:00',
    to: '17:00',
    deadline: '2027-05-13',
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
    date: '2027-06-24',
    from: '14:00',
    to: '17:00',
    deadline: '2027-06-17',
    location: 'Kantoor de Alliantie, zaal Gooi (Bedachtlaan 8, Huizen)',
    host: 'de Alliantie',
    facilitatorName: 'Platform31',
    capacity: 20,
  },
  {
    series: 'themasessie',
    title: 'Themasessie: sneller van plan naar bouw',
    description:
      'Tijdens het BO van april. Het Expertteam Woningbouw deelt wat helpt om plannen sneller te laten starten. In het BO daarna kijken we terug.',
    date: '2027-04-15',
    from: '10:00',
    to: '12:00',
    deadline: '2027-04-08',
    location: 'Regiokantoor Gooi en Vechtstreek, BO-zaal (Verzonnenweg 3, Bussum)',
    host: 'Regio Gooi en Vechtstreek',
    facilitatorName: 'RVO / Expertteam Woningbouw',
    capacity: 25,
    lead: true,
  },
];

/** The seed sessions; the theme session is led by `facilitator` when there is a gespreksleider to name. */
export function seedDrafts(now: Date, facilitator: PersonRef | null): SessionDraft[] {
  return PLANS.map((p) => {
    const startsAt = fromLocal(p.date, p.from)!;
    const endsAt = fromLocal(p.date, p.to)!;
    return {
      series: p.series,
      title: p.title,
      description: p.description,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      signupDeadline: endOfLocalDay(p.deadline)!.toISOString(),
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
