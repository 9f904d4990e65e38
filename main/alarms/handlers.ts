/**
 * The alarm channels: the live list for every seat, the supervisor's console (acknowledge, history and
 * its Excel export, the per-server tree, silences) and the administrator's agent registry. The engine
 * speaks AlarmError and plain messages; here they become ServiceErrors with field paths the forms show.
 */
import { fieldMessages, type Bilingual } from '../../preload/messages';
import { ServiceError, type CallContext, type HandlerMap, type SignedInStaff } from '../rpc';
import { agentInputSchema, type AgentInput } from './agents';
import type { Alarms } from './index';
import { AlarmError, type Actor } from './types';

function signedIn(ctx: CallContext): SignedInStaff {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
}

function actorOf(me: SignedInStaff): Actor {
  return { id: me.staffId, name: me.displayName };
}

const AGENT_FIELD_KEYS = {
  name: 'agentName',
  url: 'agentUrl',
  secret: 'agentSecret',
  periodMs: 'agentPeriod',
  timeoutMs: 'agentTimeout',
  channel: 'tooLong',
} as const satisfies Record<string, keyof typeof fieldMessages>;

function isAgentField(key: PropertyKey | undefined): key is keyof typeof AGENT_FIELD_KEYS {
  return typeof key === 'string' && Object.hasOwn(AGENT_FIELD_KEYS, key);
}

/** The engine's errors as the user sees them; `path` puts a validation problem at its field. */
function asServiceError(error: unknown, path?: string, message?: Bilingual): unknown {
  if (!(error instanceof AlarmError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new ServiceError('NOT_FOUND');
    case 'CONFLICT':
      return new ServiceError('CONFLICT', { zh: '状态已变化，请刷新后重试', en: `${error.message}; reload and try again` });
    case 'VALIDATION':
      return path && message
        ? new ServiceError('VALIDATION', undefined, [{ path, message }])
        : new ServiceError('VALIDATION', { zh: '输入有误', en: error.message });
  }
}

async function guard<T>(work: () => T | Promise<T>, path?: string, message?: Bilingual): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asServiceError(error, path, message);
  }
}

function unreachable(error: unknown): ServiceError {
  const why = error instanceof AlarmError ? error.message : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  const message = { zh: `无法连接该代理（${why}）`, en: `Cannot reach the agent (${why})` };
  return new ServiceError('UNAVAILABLE', message, [{ path: 'url', message }]);
}

export function createAlarmHandlers(alarms: Alarms): HandlerMap {
  const { engine, agents } = alarms;
  const dealerId = engine.context.dealerId;
  const { db, sdb } = engine.context;

  /** The engine watches one dealer's servers; staff of another dealer in the same store see none of it. */
  function scoped(ctx: CallContext): SignedInStaff {
    const me = signedIn(ctx);
    if (me.dealerId !== dealerId) throw new ServiceError('FORBIDDEN');
    return me;
  }

  function storedSecret(id: string): string | null {
    const row = sdb.first(
      db.selectFrom('alarm_agent').select('secret').where('id', '=', id).where('dealer_id', '=', dealerId).where('deleted_at', 'is', null),
    );
    if (!row) throw new ServiceError('NOT_FOUND');
    return row.secret;
  }

  /** Parses with the engine's own agent schema, so a value it would refuse is a field issue, not a 500. */
  function agentInput(input: AgentInput): AgentInput {
    const parsed = agentInputSchema.safeParse(input);
    if (parsed.success) return input;
    const issues = parsed.error.issues.map((issue) => {
      const key = issue.path[0];
      return isAgentField(key)
        ? { path: key, message: fieldMessages[AGENT_FIELD_KEYS[key]] }
        : { path: issue.path.join('.'), message: { zh: '格式不正确', en: issue.message } };
    });
    throw new ServiceError('VALIDATION', undefined, issues);
  }

  async function saveAgent(work: () => Promise<ReturnType<Alarms['agents']['list']>[number]>) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AlarmError && error.code === 'CONFLICT') {
        throw new ServiceError('DUPLICATE', undefined, [
          { path: 'name', message: { zh: '已有同名的服务器', en: 'A server with this name exists' } },
        ]);
      }
      throw asServiceError(error);
    }
  }

  return {
    'alarms.open': (_input, ctx) => {
      const me = signedIn(ctx);
      return me.dealerId === dealerId ? alarms.openAlarms() : [];
    },

    'alarms.get': ({ id }, ctx) => {
      scoped(ctx);
      const alarm = alarms.get(id);
      if (!alarm) throw new ServiceError('NOT_FOUND');
      return { alarm, events: alarms.history.events({ alarmId: id }) };
    },

    'alarms.acknowledge': ({ id, comment }, ctx) => {
      const me = scoped(ctx);
      return guard(() => alarms.acknowledge(id, actorOf(me), comment), 'comment', fieldMessages.ackComment);
    },

    'alarms.history': ({ filters, cursor, limit }, ctx) => {
      scoped(ctx);
      return alarms.history.list({ ...filters, cursor, limit });
    },

    'alarms.exportHistory': async ({ filters }, ctx) => {
      scoped(ctx);
      const { fileName, buffer, rows } = await alarms.history.exportXlsx(filters);
      return { fileName, base64: buffer.toString('base64'), rows };
    },

    'alarms.tree': (_input, ctx) => {
      scoped(ctx);
      return alarms.serverTree();
    },

    'alarms.silences.list': ({ includeOver }, ctx) => {
      scoped(ctx);
      return alarms.silences.list({ includeOver });
    },

    'alarms.silences.create': ({ kind, pattern, reason, startsAt, endsAt }, ctx) => {
      const me = scoped(ctx);
      return guard(
        () => alarms.silences.create({ kind, pattern, reason, endsAt, ...(startsAt ? { startsAt } : {}) }, actorOf(me)),
        'endsAt',
        fieldMessages.silenceEnds,
      );
    },

    'alarms.silences.end': ({ id }, ctx) => {
      const me = scoped(ctx);
      return guard(() => alarms.silences.end(id, actorOf(me)));
    },

    'alarms.agents.list': (_input, ctx) => {
      scoped(ctx);
      return agents.list();
    },

    'alarms.agents.add': ({ secret, ...fields }, ctx) => {
      scoped(ctx);
      const input = agentInput({ ...fields, secret: secret ?? null });
      return saveAgent(() => agents.add(input));
    },

    'alarms.agents.update': ({ id, agent: { secret, ...fields } }, ctx) => {
      scoped(ctx);
      const input = agentInput({ ...fields, secret: secret === undefined ? storedSecret(id) : secret });
      return saveAgent(() => agents.update(id, input));
    },

    'alarms.agents.remove': async ({ id }, ctx) => {
      scoped(ctx);
      await guard(() => agents.remove(id));
      return { ok: true as const };
    },

    'alarms.agents.test': async ({ url, secret, id, timeoutMs }, ctx) => {
      scoped(ctx);
      const key = secret ?? (id ? storedSecret(id) : null);
      try {
        const report = await agents.probe(url, key, timeoutMs);
        const { name, version, hostname, platform } = report.agent;
        return {
          agent: { name, version, hostname, platform },
          checks: report.checks.map(({ id: checkId, kind, name: checkName, status, detail }) => ({
            id: checkId,
            kind,
            name: checkName,
            status,
            detail,
          })),
        };
      } catch (error) {
        throw unreachable(error);
      }
    },
  };
}
