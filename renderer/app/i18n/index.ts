import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { FEATURES } from '../features';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** Each feature's texts live beside its screens and are mounted under its key. */
function featureTexts(lang: Lang): Record<string, unknown> {
  return Object.fromEntries(FEATURES.map((f) => [f.key, f.texts[lang]]));
}

/** Resources are bundled, so initialisation is synchronous and the first paint is already translated. */
export function initI18n(lng: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: { ...zhCN, ...featureTexts('zh-CN') } },
      en: { translation: { ...en, ...featureTexts('en') } },
    },
    lng,
    fallbackLng: 'zh-CN',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
