/** Reminder campaigns (招揽任务): menu entry and the work-queue screen with the supervisor's tabs; texts in texts.ts. */
import { PhoneOutlined } from '@ant-design/icons';
import type { Feature } from '../../app/features';
import { CampaignsPage } from './CampaignsPage';
import { campaignsEn, campaignsZh } from './texts';

export const campaignsFeature: Feature = {
  key: 'campaigns',
  channel: 'campaigns.queue',
  nav: { icon: <PhoneOutlined />, order: 20 },
  texts: { 'zh-CN': campaignsZh, en: campaignsEn },
  render: () => <CampaignsPage />,
};
