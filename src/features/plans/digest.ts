// What plans add to each person's digest: the plans whose phase or numbers changed since the last one.
import type { DigestSection, DigestSource, DigestViewer } from '../../capability';
import { formatNumber } from '../../i18n';
import { phaseLabel } from './cards';
import { shortName } from './fields';
import { t } from './messages';
import { mayReadPlans, type PlanService } from './service';

const MAX_ITEMS = 8;

export function planDigest(plans: PlanService, municipalityName: (id: string) => string): DigestSource {
  return {
    async sections(viewer: DigestViewer, since: Date): Promise<DigestSection[]> {
      if (!mayReadPlans(viewer.member)) return [];
      const changed = await plans.changedSince(viewer.member, since);
      if (!changed.length) return [];
      const { locale } = viewer;
      return [
        {
          title: t(locale, 'plan.digest.changed'),
          items: changed.slice(0, MAX_ITEMS).map((plan) => ({
            text: t(locale, 'plan.digest.line', {
              name: plan.name,
              municipality: shortName(municipalityName(plan.municipality)),
              phase: phaseLabel(locale, plan.phase),
              homes: formatNumber(plan.homes.total, locale),
            }),
            action: { title: t(locale, 'plan.open'), data: { verb: 'planOpen', id: plan.id } },
          })),
        },
      ];
    },
  };
}
