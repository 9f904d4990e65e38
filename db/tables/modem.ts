/**
 * Tables of the modem capability (issue 4): the durable SMS outbox (one row per message, one per
 * encoded part), the inbox with its multipart assembly and re-delivery guard, the call log, and the
 * customer's SMS opt-out. Logs are append-only in spirit: states move forward, rows are never deleted.
 */
type Timestamp = string;

export type SmsKind = 'service' | 'marketing';
export type SmsOrigin = 'manual' | 'automated';
export type SmsMessageState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'uncertain' | 'cancelled';
/** 'sending' is written (and committed) before the PDU goes to the modem; a crash leaves it → 'uncertain'. */
export type SmsPartState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'uncertain' | 'cancelled';

export interface SmsMessageTable {
  id: string;
  dealer_id: string;
  customer_id: string | null;
  /** Digits as dialled ('13812345678' or '+8613812345678'). */
  recipient: string;
  body: string;
  kind: SmsKind;
  encoding: 'gsm7' | 'ucs2';
  part_count: number;
  /** 8-bit concatenation reference, allocated once so a resumed message keeps it. */
  concat_ref: number;
  state: SmsMessageState;
  staff_id: string | null;
  /** Caller's idempotency key: the same key twice enqueues one message. */
  client_ref: string | null;
  error_code: number | null;
  error_text: string | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  /** Not sent at all after this instant (0017); a message not begun by then fails as expired. */
  expires_at: Timestamp | null;
  /** Who wrote it (0020): an agent by hand, or the system (campaign queue, alarm escalation); the daily cap keeps room for hand-written ones. */
  origin: SmsOrigin;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SmsPartTable {
  id: string;
  dealer_id: string;
  message_id: string;
  seq: number;
  /** The exact PDU hex written after AT+CMGS (SMSC octet "00" first). */
  pdu: string;
  tpdu_length: number;
  state: SmsPartState;
  /** TP-MR from "+CMGS: <mr>" — 0–255, wraps, so reports also match on recipient and time. */
  mr: number | null;
  attempts: number;
  next_attempt_at: Timestamp | null;
  submitted_at: Timestamp | null;
  /** TP-ST of the latest status report. */
  report_status: number | null;
  reported_at: Timestamp | null;
  error_code: number | null;
  error_text: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SmsInboxTable {
  id: string;
  dealer_id: string;
  customer_id: string | null;
  sender: string;
  body: string;
  /** Service-centre time stamp of the (first) part. */
  received_at: Timestamp;
  part_count: number;
  read_at: Timestamp | null;
  /** 1 when this reply was an opt-out ("TD", "退订", "取消"). */
  opt_out: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Parts of a multipart SMS waiting for their siblings; raw payload so UCS2 is joined before decoding. */
export interface SmsInboxPartTable {
  id: string;
  dealer_id: string;
  sender: string;
  ref: number;
  ref_bits: number;
  total: number;
  seq: number;
  alphabet: 'gsm7' | 'ucs2' | '8bit';
  /** Hex of the payload bytes (ucs2/8bit) or of the septet values, one octet each (gsm7). */
  payload: string;
  received_at: Timestamp;
  message_id: string | null;
  created_at: Timestamp;
}

/** Every PDU taken from the modem, keyed by sha256 of its TPDU: a message stored twice is handled once. */
export interface SmsFingerprintTable {
  fingerprint: string;
  dealer_id: string;
  kind: 'deliver' | 'status-report';
  raw_pdu: string;
  created_at: Timestamp;
}

export interface CallLogTable {
  id: string;
  dealer_id: string;
  direction: 'in' | 'out';
  /** null when the caller withheld the number. */
  number: string | null;
  customer_id: string | null;
  staff_id: string | null;
  started_at: Timestamp;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  /** Talk time in seconds (answer → end); 0 when never answered. */
  duration_s: number | null;
  /** Inbound and never answered. */
  missed: number;
  /** Inbound, never answered, and the caller gave up (hung up) rather than being rejected. */
  abandoned: number;
  end_reason: 'local_hangup' | 'remote_hangup' | 'busy' | 'no_answer' | 'no_dialtone' | 'ring_timeout' | 'port_lost' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactPreferenceTable {
  customer_id: string;
  dealer_id: string;
  sms_opt_out: number;
  opt_out_at: Timestamp | null;
  /** What set it, e.g. 'sms_reply:<inbox id>' or 'staff:<id>'. */
  opt_out_source: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Small persisted counters of the bridge (next concatenation reference …). */
export interface ModemStateTable {
  dealer_id: string;
  key: string;
  value: string;
  updated_at: Timestamp;
}

export interface ModemTables {
  sms_message: SmsMessageTable;
  sms_part: SmsPartTable;
  sms_inbox: SmsInboxTable;
  sms_inbox_part: SmsInboxPartTable;
  sms_fingerprint: SmsFingerprintTable;
  call_log: CallLogTable;
  contact_preference: ContactPreferenceTable;
  modem_state: ModemStateTable;
}
