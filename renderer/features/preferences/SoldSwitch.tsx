/**
 * 已售 in the vehicles table of the customer page: a car the customer sold gets no more reminders and
 * its open campaign tasks close; switching it back asks why too.
 */
import { App, Switch, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VehicleDto } from '../../../preload/contract';
import { call } from '../../api';
import { ReasonModal, type ReasonRequest } from './ReasonModal';
import { usePreferences } from './store';

export function SoldSwitch({ customerId, vehicle }: { customerId: string; vehicle: VehicleDto }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const data = usePreferences((s) => (s.data?.customerId === customerId ? s.data : null));
  const apply = usePreferences((s) => s.apply);
  const [request, setRequest] = useState<ReasonRequest | null>(null);
  const sold = data?.soldVehicles.find((v) => v.vehicleId === vehicle.id) ?? null;
  const name = vehicle.plate ?? vehicle.vin;

  function change(toSold: boolean) {
    setRequest({
      title: t(toSold ? 'preferences.sold.markTitle' : 'preferences.sold.unmarkTitle', { plate: name }),
      description: t(toSold ? 'preferences.sold.markHint' : 'preferences.sold.unmarkHint'),
      ...(toSold ? { suggestions: [t('preferences.suggest.sold'), t('preferences.suggest.tradeIn')] } : {}),
      submit: async (reason) => {
        const r = await call('preferences.setVehicleSold', { vehicleId: vehicle.id, sold: toSold, reason });
        const { closedTasks, ...rest } = r;
        apply(rest);
        message.success(toSold ? t('preferences.sold.marked', { plate: name, count: closedTasks }) : t('preferences.sold.unmarked', { plate: name }));
      },
    });
  }

  return (
    <>
      <Tooltip title={sold ? t('preferences.offBecause', { reason: sold.reason }) : ''}>
        <Switch
          size="small"
          checked={sold !== null}
          disabled={data === null}
          checkedChildren={t('preferences.sold.yes')}
          unCheckedChildren={t('preferences.sold.no')}
          onChange={change}
          aria-label={t('preferences.sold.aria', { plate: name })}
          data-testid="vehicle-sold"
          data-vehicle={vehicle.id}
        />
      </Tooltip>
      <ReasonModal request={request} onClose={() => setRequest(null)} />
    </>
  );
}
