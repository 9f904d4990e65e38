/**
 * The UI language: Chinese first, English on request, remembered per seat in localStorage. Changing it
 * switches i18next, antd's locale (via the store), dayjs and the document's lang attribute together.
 */
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { create } from 'zustand';
import type { Bilingual } from '../../preload/messages';
import { LANGS, type Lang } from './i18n';

const LANG_KEY = 'dealercs.lang';

export function storedLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  return LANGS.find((l) => l === saved) ?? 'zh-CN';
}

function apply(lang: Lang) {
  void i18next.changeLanguage(lang);
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
  document.title = i18next.t('common.appName');
}

interface LanguageState {
  lang: Lang;
  setLang(lang: Lang): void;
  toggle(): void;
}

export const useLanguage = create<LanguageState>((set, get) => ({
  lang: storedLang(),
  setLang(lang) {
    localStorage.setItem(LANG_KEY, lang);
    apply(lang);
    set({ lang });
  },
  toggle() {
    get().setLang(get().lang === 'zh-CN' ? 'en' : 'zh-CN');
  },
}));

export function initLanguage() {
  apply(useLanguage.getState().lang);
}

/** Picks the current language's side of a host message. */
export function pick(text: Bilingual, lang: Lang = useLanguage.getState().lang): string {
  return lang === 'zh-CN' ? text.zh : text.en;
}

/** A hook returning `pick` bound to the current language, re-rendering when it changes. */
export function usePick(): (text: Bilingual) => string {
  const lang = useLanguage((s) => s.lang);
  return (text) => pick(text, lang);
}
