/**
 * Tables of reminder campaigns (招揽), appointments (预约) and templates (issue 5).
 * Campaign rules and their staged channel plans are configuration rows; tasks are generated from them
 * (one per subject per due cycle, enforced by a unique key), touches are the append-only record of every
 * letter, SMS and call made for a task. Per-purpose turn-offs live here; the SMS-only opt-out flag is the
 * modem capability's `contact_preference` table, which generation reads but never writes.
 */
type Timestamp = string;
type IsoDate = string;

export type CampaignKind =
  | 'maintenance'
  | 'first_service'
  | 'insurance_compulsory'
  | 'insurance_commercial'
  | 'inspection'
  | 'birthday'
  | 'purchase_thanks'
  | 'service_followup'
  | 'lapsed_first_service'
  | 'lapsed_basic'
  | 'lapsed_lost'
  /** Made once from a query (扩展查询 → 生成招揽), never generated; see query_campaign. */
  | 'adhoc';
export const CAMPAIGN_KINDS = [
  'maintenance',
  'first_service',
  'insurance_compulsory',
  'insurance_commercial',
  'inspection',
  'birthday',
  'purchase_thanks',
  'service_followup',
  'lapsed_first_service',
  'lapsed_basic',
  'lapsed_lost',
  'adhoc',
] as const satisfies readonly CampaignKind[];

export type ContactPurpose = 'maintenance' | 'insurance' | 'marketing' | 'survey';
export const CONTACT_PURPOSES = ['maintenance', 'insurance', 'marketing', 'survey'] as const satisfies readonly ContactPurpose[];

export type StepChannel = 'letter' | 'sms' | 'phone' | 'reason_call';
export const STEP_CHANNELS = ['letter', 'sms', 'phone', 'reason_call'] as const satisfies readonly StepChannel[];

export type TaskStatus = 'open' | 'done' | 'closed';
export type TaskResult = 'came' | 'no_show';

export interface CampaignTable {
  id: string;
  dealer_id: string;
  kind: CampaignKind;
  name_zh: string;
  name_en: string;
  purpose: ContactPurpose;
  enabled: number;
  /** Higher first in the agent queue when due dates tie. */
  priority: number;
  /** JSON of the kind's parameters (intervals, windows, gifts …), validated by zod in main/campaigns. */
  params: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignStepTable {
  id: string;
  dealer_id: string;
  campaign_id: string;
  seq: number;
  /** Days from the due date: −30 = a month before, +2 = two days overdue. */
  offset_days: number;
  channel: StepChannel;
  template_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignTaskTable {
  id: string;
  dealer_id: string;
  campaign_id: string;
  /** Vehicle id, or customer id for customer-level campaigns (birthday). */
  subject_id: string;
  vehicle_id: string | null;
  customer_id: string;
  /** Identifies the due cycle: the base visit date, the anniversary, the repair order … */
  cycle_key: string;
  due_on: IsoDate;
  /** Visits on or after this date count for the result (came / no-show). */
  window_from: IsoDate;
  /** The result is settled on this date if no visit came first. */
  settle_on: IsoDate;
  /** An open task still unworked on this date closes as 'expired'. */
  expire_on: IsoDate;
  status: TaskStatus;
  /** came_early | expired | unreachable | manual reason codes from campaign_reason. */
  close_reason: string | null;
  /** 0 = customer said they will not come (then feedback_reason is required), 1 = will come. */
  will_come: number | null;
  feedback_reason: string | null;
  campaign_remark: string | null;
  followup_remark: string | null;
  followed_up_at: Timestamp | null;
  /** Index of the step now due (-1 before the first step is due), its channel and date. */
  step_seq: number;
  step_channel: StepChannel | null;
  step_on: IsoDate | null;
  /** 1 when 5 unreachable days switched the task to an SMS or letter fallback. */
  fallback: number;
  gift: string | null;
  priority: number;
  assigned_staff_id: string | null;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  hidden_until: IsoDate | null;
  callback_at: Timestamp | null;
  unreachable_days: number;
  last_unreachable_on: IsoDate | null;
  last_touch_on: IsoDate | null;
  last_touch_channel: StepChannel | null;
  last_touch_staff_id: string | null;
  worked_at: Timestamp | null;
  result: TaskResult | null;
  result_on: IsoDate | null;
  result_ro_id: string | null;
  credited_channel: StepChannel | null;
  credited_staff_id: string | null;
  created_on: IsoDate;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Append-only: each letter printed, SMS queued, call made, or step skipped (with the reason). */
export interface CampaignTouchTable {
  id: string;
  dealer_id: string;
  task_id: string;
  step_seq: number;
  channel: StepChannel;
  touch_on: IsoDate;
  occurred_at: Timestamp;
  staff_id: string | null;
  disposition: string | null;
  reached: number;
  /** Why the step did not happen (sms_opt_out, no_mobile, superseded …); null when it did. */
  skipped_reason: string | null;
  /** The campaign_sms row this SMS touch was sent with (0020); one row may carry several tasks' touches. */
  sms_id: string | null;
  created_at: Timestamp;
}

export interface CampaignDispositionTable {
  id: string;
  dealer_id: string;
  code: string;
  label_zh: string;
  label_en: string;
  reached: number;
  /** Counts toward the five unreachable days after which a task falls back to SMS or letter. */
  unreachable: number;
  /** Hides the vehicle from this campaign's queue for this many days. */
  hide_days: number;
  /** Requires a callback time and re-queues the task at that time. */
  callback: number;
  active: number;
  sort: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type CampaignReasonKind = 'feedback' | 'close';

export interface CampaignReasonTable {
  id: string;
  dealer_id: string;
  kind: CampaignReasonKind;
  code: string;
  label_zh: string;
  label_en: string;
  active: number;
  sort: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Editable annual-inspection (年审) rule: due at purchase + from_months, then every every_months until to_months. */
export interface InspectionRuleTable {
  id: string;
  dealer_id: string;
  vehicle_class: string;
  from_months: number;
  to_months: number;
  every_months: number;
  on_site: number;
  note_zh: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type KnownDueKind = 'insurance_compulsory' | 'insurance_commercial' | 'inspection';

/** A known due date (e.g. the policy's real expiry) that overrides the purchase-anniversary estimate. */
export interface VehicleDueDateTable {
  dealer_id: string;
  vehicle_id: string;
  kind: KnownDueKind;
  due_on: IsoDate;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type TurnoffChannel = 'any' | 'sms' | 'phone' | 'letter';
export type TurnoffKind = 'flag' | 'sold';
export type TurnoffLogKind = TurnoffKind | 'sms_opt_out';

/** Current do-not-contact flags, per customer (vehicle_id '') or per vehicle, per purpose ('all' too). */
export interface ContactTurnoffTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  /** '' for the whole customer, else a vehicle id ('' rather than null keeps the unique key simple). */
  vehicle_id: string;
  purpose: ContactPurpose | 'all';
  channel: TurnoffChannel;
  reason: string;
  set_by: string | null;
  /** 'sold': the customer no longer owns this vehicle (purpose 'all', channel 'any'); else a do-not-contact flag. */
  kind: TurnoffKind;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Append-only history of turn-offs set and cleared. */
export interface ContactTurnoffLogTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  vehicle_id: string;
  purpose: string;
  channel: string;
  action: 'set' | 'clear';
  reason: string;
  staff_id: string | null;
  /** What changed: a flag, a sold mark, or the modem's SMS opt-out (cleared by staff). */
  kind: TurnoffLogKind;
  created_at: Timestamp;
}

export type CampaignSmsStatus = 'queued' | 'handed_off';

/** Default SMS queue: rows the modem outbox takes over (SmsQueue interface). */
export interface CampaignSmsTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  mobile: string;
  text: string;
  purpose: string;
  /** Same key twice queues one message (task+step, appointment+reminder …). */
  dedupe_key: string;
  not_before: Timestamp | null;
  /** Not handed to the modem after this instant (an appointment reminder is useless once the slot began). */
  expires_at: Timestamp | null;
  status: CampaignSmsStatus;
  handed_off_at: Timestamp | null;
  /** The modem outbox's sms_message row; null when the row was dropped (see handoff_error). */
  sms_message_id: string | null;
  /** Why the outbox refused it (opted out, invalid number, expired …); the row is then done. */
  handoff_error: string | null;
  /** The campaign_touch written when it was queued (0018, rows queued before 0020); newer rows are named by campaign_touch.sms_id. */
  touch_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignRunTable {
  id: string;
  dealer_id: string;
  today: IsoDate;
  started_at: Timestamp;
  finished_at: Timestamp;
  created: number;
  /** JSON: { campaignKind: { created, skipped: { reason: n } } }. */
  stats: string;
  ms: number;
}

export interface AppointmentSlotTable {
  id: string;
  dealer_id: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  start_time: string;
  end_time: string;
  capacity: number;
  active: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AppointmentStatus = 'booked' | 'cancelled' | 'arrived' | 'no_show';

export interface AppointmentTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  vehicle_id: string;
  task_id: string | null;
  date: IsoDate;
  start_time: string;
  service_type: string;
  advisor: string | null;
  note: string | null;
  status: AppointmentStatus;
  ro_id: string | null;
  booked_by: string | null;
  cancel_reason: string | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  /** The booking a reschedule replaced this one with (this one is then cancelled). */
  rescheduled_to: string | null;
  /** The follow-up call to a no-show: what the customer said, when and by whom. */
  followup_remark: string | null;
  followed_up_at: Timestamp | null;
  followed_up_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type TemplateKind = 'sms' | 'letter' | 'card' | 'envelope';
export type PageSize = 'A4' | 'DL' | 'C5' | 'A6';

export interface MessageTemplateTable {
  id: string;
  dealer_id: string;
  code: string;
  kind: TemplateKind;
  name: string;
  body: string;
  page: PageSize | null;
  active: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A dealer's sales team (销售团队, migration 0019): the tasks of its consultants' vehicles go to its agents. */
export interface SalesTeamTable {
  id: string;
  dealer_id: string;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A call-center agent serving a sales team (a team may have several; an agent may serve several teams). */
export interface SalesTeamAgentTable {
  team_id: string;
  staff_id: string;
  dealer_id: string;
  created_at: Timestamp;
}

/** A sales consultant's team, by the name on the vehicles (one team per consultant and dealer). */
export interface SalesTeamConsultantTable {
  dealer_id: string;
  consultant: string;
  team_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/**
 * A call outcome's hide-days for the subject of a campaign (the vehicle; the customer for a birthday):
 * every task of that campaign for the subject stays out of the work queue until the date, across cycles.
 * The latest outcome decides: a later hiding outcome moves the date, a reached call or a callback clears it.
 */
export interface CampaignHideTable {
  campaign_id: string;
  subject_id: string;
  dealer_id: string;
  hidden_until: IsoDate;
  /** The task whose call set it. */
  task_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignTables {
  campaign: CampaignTable;
  campaign_step: CampaignStepTable;
  campaign_task: CampaignTaskTable;
  campaign_hide: CampaignHideTable;
  campaign_touch: CampaignTouchTable;
  campaign_disposition: CampaignDispositionTable;
  campaign_reason: CampaignReasonTable;
  inspection_rule: InspectionRuleTable;
  vehicle_due_date: VehicleDueDateTable;
  contact_turnoff: ContactTurnoffTable;
  contact_turnoff_log: ContactTurnoffLogTable;
  campaign_sms: CampaignSmsTable;
  campaign_run: CampaignRunTable;
  appointment_slot: AppointmentSlotTable;
  appointment: AppointmentTable;
  message_template: MessageTemplateTable;
  sales_team: SalesTeamTable;
  sales_team_agent: SalesTeamAgentTable;
  sales_team_consultant: SalesTeamConsultantTable;
}
