/**
 * What the dealer merge fields (经销商, 经销商简称, 经销商电话, 经销商地址) fill in, shown beside the templates
 * that quote them. The profile is edited in one place only — 系统设置 → 经销店信息, by administrators — so
 * this dialog reads it and, for an administrator, links there.
 */
import { App, Button, Descriptions, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { navigate } from '../../app/router';
import { useRole } from '../../app/session';

type DealerProfile = RequestOutput<'dealer.get'>;

export function DealerModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const role = useRole();
  const [dealer, setDealer] = useState<DealerProfile | null>(null);

  useEffect(() => {
    if (!open) return;
    call('dealer.get', {})
      .then(setDealer)
      .catch((e: unknown) => message.error(errorText(e)));
  }, [open, message]);

  const unset = <Typography.Text type="warning">{t('templates.dealer.unset')}</Typography.Text>;
  return (
    <Modal
      open={open}
      title={t('templates.dealer.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        role === 'admin' ? (
          <Button
            key="edit"
            type="primary"
            data-testid="dealer-edit"
            onClick={() => {
              onClose();
              navigate('#/settings/dealer');
            }}
          >
            {t('templates.dealer.edit')}
          </Button>
        ) : null,
        <Button key="close" onClick={onClose}>
          {t('templates.dealer.close')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t(role === 'admin' ? 'templates.dealer.hintAdmin' : 'templates.dealer.hint')}</Typography.Paragraph>
      <Descriptions column={1} bordered size="small" data-testid="dealer-info">
        <Descriptions.Item label={t('templates.dealer.name')}>{dealer?.name}</Descriptions.Item>
        <Descriptions.Item label={t('templates.dealer.shortName')}>{dealer?.shortName ?? unset}</Descriptions.Item>
        <Descriptions.Item label={t('templates.dealer.phone')}>{dealer?.servicePhone ?? unset}</Descriptions.Item>
        <Descriptions.Item label={t('templates.dealer.address')}>{dealer?.address ?? unset}</Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
