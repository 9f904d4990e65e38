/**
 * The dealer's clock for the booking screens. Slots, "today" and "already begun" are the dealership's
 * wall clock (China, Asia/Shanghai) as the host keeps them, not the seat's: a laptop left on another
 * zone would otherwise offer slots that have begun or hide ones still to come.
 */
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEALER_TIME_ZONE = 'Asia/Shanghai';

/** Now on the dealer's wall clock: format('YYYY-MM-DD') is the dealer's today, format('HH:mm') its time. */
export function dealerNow(): Dayjs {
  return dayjs().tz(DEALER_TIME_ZONE);
}
