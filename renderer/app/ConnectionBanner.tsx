import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { connectionState, onConnectionState, type ConnectionState } from '../api';

/** Shown while the host is unreachable; calls fail fast as UNAVAILABLE meanwhile and the client reconnects. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const [state, setState] = useState<ConnectionState>(() => connectionState());
  const [wasOpen, setWasOpen] = useState(state === 'open');
  useEffect(
    () =>
      onConnectionState((next) => {
        setState(next);
        if (next === 'open') setWasOpen(true);
      }),
    [],
  );
  if (state === 'open') return null;
  // Before the first connection the start-up spinner speaks; afterwards a drop is worth a banner.
  if (!wasOpen && state === 'connecting') return null;
  return (
    <Alert
      banner
      type="warning"
      role="alert"
      data-testid="connection-lost"
      title={wasOpen ? t('conn.lost') : t('conn.hostUnreachable')}
    />
  );
}
