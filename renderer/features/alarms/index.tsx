/** Server health monitoring and alarms (告警监控): console screen, texts; the header indicator is AlarmCenter. */
import { AlertOutlined } from '@ant-design/icons';
import type { Feature } from '../../app/features';
import { ConsolePage } from './ConsolePage';
import { alarmTexts } from './texts';

export { AlarmCenter } from './AlarmCenter';

export const alarmsFeature: Feature = {
  key: 'alarms',
  channel: 'alarms.history',
  nav: { icon: <AlertOutlined />, order: 70 },
  texts: alarmTexts,
  render: (rest) => <ConsolePage tab={rest[0]} />,
};
