// The accessibility check of the UI tests: axe-core on the bot's cards in the rendered page. Each walk-through
// checks the cards it shows along the way and asserts at the end, so one finding does not hide the next step.
import type { Page } from 'playwright-core';
import { axeOnCards } from './browser';

/** What axe-core found, one line each: rule, the element's text, and axe's reason (colours and ratio). */
export class AccessibilityFindings {
  readonly lines = new Set<string>();

  /** Every input has a name, images alt text, buttons say what they do, text has 4.5:1 contrast. */
  async check(page: Page): Promise<void> {
    const where = expect.getState().currentTestName ?? '';
    for (const v of await axeOnCards(page)) {
      for (const n of v.nodes) {
        const text = n.html.replace(/<[^>]+>/g, '').slice(0, 80);
        const reason = (n.failureSummary ?? '').replace(/\s+/g, ' ').replace(/^Fix any of the following: /, '').slice(0, 160);
        this.lines.add(`${where}: ${v.id}: "${text}" (${reason})`);
      }
    }
  }
}
