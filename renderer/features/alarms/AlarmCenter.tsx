/**
 * Mounted once in the shell header: the unacknowledged-alarm indicator on every screen, one toast per
 * notification batch (plus the browser's Notification when permitted), and the sound. Critical alarms
 * ring in a loop until acknowledged (shared) or snoozed on this seat (local). Chromium refuses to play
 * audio before the user has interacted with the page: the controller then shows "点击启用提示音" and
 * retries on the first click or key press.
 */
import { BellOutlined, SoundOutlined } from '@ant-design/icons';
import { App, Badge, Button, Drawer, List, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import criticalSound from '../../../resources/sounds/alarm-critical.wav';
import warningSound from '../../../resources/sounds/alarm-warning.wav';
import { canAccess, type EventPayload } from '../../../preload/contract';
import { getApi, onConnectionState } from '../../api';
import { pick } from '../../app/language';
import { navigate } from '../../app/router';
import { useRole } from '../../app/session';
import { formatDateTime } from '../customers/format';
import { isSnoozed, isUnacknowledged, needsAttention, ringing, useAlarms } from './store';

type SoundState = 'idle' | 'playing' | 'blocked';
type Notification = EventPayload<'alarms.notification'>;

function browserNotify(title: string, body: string) {
  // The desktop host raises a native notification itself (main/electron/notifications.ts).
  if (window.api) return;
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag: 'dealercs-alarm' });
  } catch {
    // Some hosts expose the API but refuse page-created notifications; the toast still shows.
  }
}

export function AlarmCenter() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const role = useRole();
  const canConsole = canAccess('alarms.history', role);
  const open = useAlarms((s) => s.open);
  const snoozedMap = useAlarms((s) => s.snoozed);
  const now = useAlarms((s) => s.now);
  const { load, upsert, snooze, tick } = useAlarms.getState();
  const audio = useRef<HTMLAudioElement>(null);
  const wanted = useRef<{ src: string; loop: boolean } | null>(null);
  const [sound, setSound] = useState<SoundState>('idle');
  const [drawer, setDrawer] = useState(false);
  /** Open toasts (batch id → alarm ids): a critical one stays until its alarms no longer need anyone. */
  const toasts = useRef(new Map<string, string[]>());

  const ring = ringing({ open, snoozed: snoozedMap, now });
  const ringKey = ring.map((a) => a.id).join(',');
  const attention = open.filter(needsAttention);

  const play = useCallback((src: string, loop: boolean) => {
    const el = audio.current;
    if (!el) return;
    wanted.current = { src, loop };
    if (!el.src.endsWith(src.replace(/^\.\//, ''))) el.src = src;
    el.loop = loop;
    el.play().then(
      () => setSound('playing'),
      () => setSound('blocked'),
    );
  }, []);

  const silence = useCallback(() => {
    wanted.current = null;
    audio.current?.pause();
    setSound('idle');
  }, []);

  // Live list: load on mount and after every reconnect; follow the host's changes.
  useEffect(() => {
    void load();
    const offChanged = getApi().on('alarms.changed', ({ alarm }) => upsert(alarm));
    const offConn = onConnectionState((state) => {
      if (state === 'open') void load();
    });
    const timer = window.setInterval(tick, 30_000);
    return () => {
      offChanged();
      offConn();
      window.clearInterval(timer);
    };
  }, [load, upsert, tick]);

  // Critical: loop while anything critical is unacknowledged and not snoozed here.
  useEffect(() => {
    if (ringKey) play(criticalSound, true);
    else if (wanted.current?.loop) silence();
  }, [ringKey, play, silence]);

  // One toast (and one browser notification) per batch; a warning chimes once.
  useEffect(() => {
    return getApi().on('alarms.notification', (batch: Notification) => {
      const title = pick(batch.title);
      const text = pick(batch.text);
      const ids = batch.items.filter((i) => i.change !== 'resolved').map((i) => i.alarmId);
      notification.open({
        key: batch.batchId,
        type: batch.level === 'critical' ? 'error' : batch.level === 'warning' ? 'warning' : 'success',
        title,
        description: (
          <div data-testid="alarm-toast" data-level={batch.level} style={{ whiteSpace: 'pre-line' }}>
            {text}
          </div>
        ),
        placement: 'bottomRight',
        duration: batch.level === 'critical' ? 0 : 8,
        actions:
          ids.length > 0 ? (
            <Space>
              <Button size="small" onClick={() => { snooze(ids); notification.destroy(batch.batchId); }} data-testid="alarm-toast-snooze">
                {t('alarms.snoozeForMe')}
              </Button>
              {canConsole && (
                <Button size="small" type="primary" onClick={() => { navigate('#/alarms/live'); notification.destroy(batch.batchId); }}>
                  {t('alarms.openConsole')}
                </Button>
              )}
            </Space>
          ) : undefined,
      });
      if (batch.level === 'critical') toasts.current.set(batch.batchId, ids);
      browserNotify(title, text);
      if (batch.level === 'warning' && !wanted.current?.loop) play(warningSound, false);
    });
  }, [notification, play, snooze, t, canConsole]);

  // Someone acknowledged (any seat) or the service came back: its toast goes away everywhere.
  useEffect(() => {
    const needy = new Set(open.filter(isUnacknowledged).map((a) => a.id));
    for (const [batchId, ids] of toasts.current) {
      if (ids.some((id) => needy.has(id))) continue;
      notification.destroy(batchId);
      toasts.current.delete(batchId);
    }
  }, [open, notification]);

  useEffect(() => {
    return getApi().on('alarms.escalation', ({ alarm, channel }) => {
      notification.warning({
        key: `escalation-${alarm.id}`,
        title: t('alarms.escalatedTitle'),
        description: t('alarms.escalatedText', { name: alarm.name, channel }),
        placement: 'bottomRight',
        duration: 0,
      });
    });
  }, [notification, t]);

  // The first click or key press unlocks audio (autoplay policy) and asks for notification permission.
  useEffect(() => {
    const unlock = () => {
      if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
      if (sound === 'blocked' && wanted.current) play(wanted.current.src, wanted.current.loop);
    };
    window.addEventListener('pointerdown', unlock, true);
    window.addEventListener('keydown', unlock, true);
    return () => {
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
    };
  }, [sound, play]);

  return (
    <Space size="small">
      {/* An alarm tone has no words to caption. */}
      {/* data-ringing: the alarms keeping the critical tone going, so a test can tell which ones do. */}
      <audio ref={audio} data-testid="alarm-audio" data-sound={sound} data-ringing={ringKey} preload="auto" onEnded={() => !wanted.current?.loop && setSound('idle')} />
      {sound === 'blocked' && wanted.current && (
        <Button size="small" icon={<SoundOutlined />} danger data-testid="alarm-sound-hint">
          {t('alarms.enableSound')}
        </Button>
      )}
      <Badge count={attention.length} size="small" offset={[-4, 4]}>
        <Button
          icon={<BellOutlined />}
          type={attention.length > 0 ? 'primary' : 'default'}
          danger={attention.length > 0}
          aria-label={t('alarms.indicator', { count: attention.length })}
          data-testid="alarm-indicator"
          data-count={attention.length}
          onClick={() => (canConsole ? navigate('#/alarms/live') : setDrawer(true))}
        />
      </Badge>
      <Drawer open={drawer} onClose={() => setDrawer(false)} title={t('alarms.openTitle')} width={420}>
        <List
          dataSource={open}
          locale={{ emptyText: t('alarms.noneOpen') }}
          renderItem={(a) => (
            <List.Item
              actions={
                isUnacknowledged(a) && !isSnoozed({ snoozed: snoozedMap, now }, a.id)
                  ? [<Button key="snooze" size="small" onClick={() => snooze([a.id])}>{t('alarms.snoozeForMe')}</Button>]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space>
                    <Tag color={a.severity === 'critical' ? 'red' : 'orange'}>{t(`alarms.severity.${a.severity}`)}</Tag>
                    {a.server ? `${a.server} · ` : ''}
                    {a.name}
                  </Space>
                }
                description={
                  <Typography.Text type="secondary">
                    {t(`alarms.state.${a.state}`)} · {formatDateTime(a.firstSeenAt)}
                    {a.detail ? ` · ${a.detail}` : ''}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      </Drawer>
    </Space>
  );
}
