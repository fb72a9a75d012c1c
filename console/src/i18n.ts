/**
 * The console's two languages. The first visit follows the browser (any zh-* gets zh-CN); the
 * switch in the header overrides it and is remembered on this device.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

export type Lang = 'en' | 'zh-CN';
export type Messages = typeof en;
export const messages: Record<Lang, Messages> = { en, 'zh-CN': zhCN };

const STORE = 'orderbell.lang';

export function initialLang(): Lang {
  const saved = localStorage.getItem(STORE);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.languages.some((l) => /^zh\b/i.test(l)) ? 'zh-CN' : 'en';
}

export function rememberLang(lang: Lang) {
  localStorage.setItem(STORE, lang);
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>('en');

/** The message table of the current language. */
export function useT(): Messages {
  return messages[useContext(LangContext)];
}

/** `{name}` placeholders filled from `values`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
