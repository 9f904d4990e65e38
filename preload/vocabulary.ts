/**
 * Shared vocabulary both the services and the screens may import (no Node, no main/): the vehicle models
 * a Guangzhou Honda 4S store sells and services. Models are stored by English name and shown in Chinese.
 */
export const VEHICLE_MODELS = [
  { model: 'Accord', zh: '雅阁' },
  { model: 'Fit', zh: '飞度' },
  { model: 'City', zh: '锋范' },
  { model: 'Crider', zh: '凌派' },
  { model: 'Odyssey', zh: '奥德赛' },
  { model: 'Avancier', zh: '冠道' },
  { model: 'Vezel', zh: '缤智' },
  { model: 'Breeze', zh: '皓影' },
  { model: 'e:NP1', zh: '极湃1' },
  { model: 'Civic', zh: '思域' },
  { model: 'CR-V', zh: 'CR-V' },
  { model: 'Elysion', zh: '艾力绅' },
  { model: 'Envix', zh: '享域' },
  { model: 'Inspire', zh: '英仕派' },
  { model: 'XR-V', zh: 'XR-V' },
  { model: 'e:NS1', zh: 'e:NS1' },
] as const satisfies ReadonlyArray<{ model: string; zh: string }>;

export type VehicleModel = (typeof VEHICLE_MODELS)[number]['model'];

/** English model name → Chinese name (雅阁 for Accord); unknown models are shown as stored. */
export const MODEL_NAMES_ZH: Readonly<Record<string, string>> = Object.fromEntries(VEHICLE_MODELS.map((m) => [m.model, m.zh]));
