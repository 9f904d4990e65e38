import type { DbHandle } from '../../db/connection';
import { newId } from '../../db/ids';
import { createCampaignConfig } from './config';
import { generateTasks } from './generate';

export interface CampaignsDeps {
  handle: DbHandle;
}

export function createCampaigns(deps: CampaignsDeps) {
  const { handle } = deps;
  handle.sqlite.function('cg_new_id', { deterministic: false }, () => newId());
  const config = createCampaignConfig(handle);
  return {
    config,
    async generate(dealerId: string, today: string) {
      return generateTasks(handle, dealerId, today, await config.load(dealerId));
    },
  };
}
