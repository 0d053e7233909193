// Money, dates and names as a resident reads them, in the chosen language. Business dates are Shanghai
// dates (YYYY-MM-DD) and are shown as they are; instants are shown in Shanghai time wherever the phone is.

import { language } from './prefs.ts';

/** Fen → "¥38.10". */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export function businessDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(language(), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
}

export function instant(iso: string): string {
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

/** A name the catalog gives in both languages. */
export const named = (name: { zh: string; en: string }) => (language() === 'en' ? name.en : name.zh);

/** Metres as a walker reads them: "350 米" up to a kilometre, then "1.2 公里". */
export const distance = (meters: number) =>
  meters < 1000 ? `${Math.round(meters)} ${language() === 'en' ? 'm' : '米'}` : `${(meters / 1000).toFixed(1)} ${language() === 'en' ? 'km' : '公里'}`;
