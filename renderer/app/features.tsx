/**
 * The feature registry: each capability's screens plug in here with one line, so adding a feature never
 * edits the shell, the router or the menu. A feature owns the hash paths `#/<key>` and `#/<key>/…`,
 * names the channel that decides who may open it (the same `canAccess` rule the host enforces), and
 * brings its own texts under its key (`t('<key>.…')`).
 */
import type { ReactNode } from 'react';
import type { RequestName } from '../../preload/contract';
import { alarmsFeature } from '../features/alarms';
import { dmsFeature } from '../features/dms';
import { modemFeature } from '../features/modem';
import { queryFeature } from '../features/query';
import { campaignsFeature } from '../features/campaigns';
import { appointmentsFeature } from '../features/appointments';
import { aboutFeature, settingsFeature } from '../features/ops';
import { preferencesFeature } from '../features/preferences';
import { templatesFeature } from '../features/templates';

export interface FeatureTexts {
  'zh-CN': Record<string, unknown>;
  en: Record<string, unknown>;
}

export interface Feature {
  /** First segment of the hash path, and the namespace of the feature's texts. */
  key: string;
  /** Whoever may call this channel may open the feature; others get 403 and no menu entry. */
  channel: RequestName;
  /** Menu entry; `order` sorts it among the others (customers 10, staff 90). */
  nav?: { icon: ReactNode; order: number };
  texts: FeatureTexts;
  /** Renders `#/<key>/<rest…>`. */
  render(rest: string[]): ReactNode;
}

export const FEATURES: readonly Feature[] = [
  // One line per feature, e.g. queryFeature,
  alarmsFeature,
  dmsFeature,
  modemFeature,
  queryFeature,
  campaignsFeature,
  appointmentsFeature,
  preferencesFeature,
  templatesFeature,
  aboutFeature, settingsFeature,
];

export function featureFor(path: string): { feature: Feature; rest: string[] } | null {
  const [key, ...rest] = path.replace(/^\/+/, '').split('/');
  const feature = FEATURES.find((f) => f.key === key);
  return feature ? { feature, rest: rest.filter(Boolean) } : null;
}
