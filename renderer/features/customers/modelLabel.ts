import { MODEL_NAMES_ZH } from '../../../preload/vocabulary';
import { useLanguage } from '../../app/language';

/** Models are stored by their English name; a Chinese desk reads 雅阁, not Accord. */
export function useModelLabel(): (model: string) => string {
  const lang = useLanguage((s) => s.lang);
  return (model) => (lang === 'zh-CN' ? (MODEL_NAMES_ZH[model] ?? model) : model);
}
