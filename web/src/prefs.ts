// The resident's display settings, remembered in this browser: language (zh-CN by default, English) and
// elderly mode (长辈版: larger text and tap targets, see styles.css). Applied to <html> so CSS and screen
// readers see them on every page.

import { changed } from './changes.ts';

export type Language = 'zh-CN' | 'en';

const LANGUAGE_KEY = 'sc.language';
const ELDERLY_KEY = 'sc.elderly';

export const language = (): Language => (localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN');
export const elderlyMode = (): boolean => localStorage.getItem(ELDERLY_KEY) === 'on';

export function applyPrefs(): void {
  document.documentElement.lang = language();
  document.documentElement.dataset.mode = elderlyMode() ? 'elderly' : 'standard';
}

export function setLanguage(value: Language): void {
  localStorage.setItem(LANGUAGE_KEY, value);
  applyPrefs();
  changed();
}

export function setElderlyMode(on: boolean): void {
  localStorage.setItem(ELDERLY_KEY, on ? 'on' : 'off');
  applyPrefs();
  changed();
}
