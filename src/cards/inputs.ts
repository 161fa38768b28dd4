// Date and time pickers that say their format in the person's language: without a placeholder a client shows
// its own English "Select a date…" and AM/PM, whatever the card's language.
import { t, type Locale } from '../i18n';
import type { CardElement } from './adaptive';

export function dateInput(locale: Locale, id: string, label: string, extra: CardElement = {}): CardElement {
  return { type: 'Input.Date', id, label: t(locale, 'input.dateLabel', { label }), placeholder: t(locale, 'input.datePlaceholder'), ...extra };
}

export function timeInput(locale: Locale, id: string, label: string, extra: CardElement = {}): CardElement {
  return { type: 'Input.Time', id, label: t(locale, 'input.timeLabel', { label }), placeholder: t(locale, 'input.timePlaceholder'), ...extra };
}
