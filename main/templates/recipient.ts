/**
 * Merge values for one customer outside a campaign batch (an agent sending an SMS from a template on
 * the customer page or from the work queue): the same fields a campaign step fills (main/campaigns/merge),
 * plus the customer's open reminder for that car and their next booked appointment when there is one.
 */
import type { DbHandle } from '../../db/connection';
import { dealerProfileFrom, dealerValues, mergeValues } from '../campaigns/merge';
import { ServiceError } from '../rpc';
import { sampleValues, type MergeValues } from './fields';

/** A customer with more cars than this is a fleet: an SMS listing them all would not be read. */
const MAX_LISTED_CARS = 10;

function vehicleListOf(vehicles: ReadonlyArray<{ plate: string | null; model: string }>, modelNamesZh: Readonly<Record<string, string>> | undefined): string | null {
  const labels = vehicles.map((v) => [modelNamesZh?.[v.model] ?? v.model, v.plate].filter(Boolean).join(' ')).filter(Boolean);
  return labels.length > 0 ? labels.join('、') : null;
}

export interface Recipient {
  values: MergeValues;
  mobile: string | null;
}

export interface RecipientOptions {
  /** English model name → Chinese, since templates are written in Chinese. */
  modelNamesZh?: Readonly<Record<string, string>>;
}

/**
 * The editor's preview values: samples for the customer, car and campaign, but the dealer's own name,
 * signature, hotline and address once saved, so a writer sees (and counts the parts of) what customers get.
 */
export function previewValues(handle: DbHandle, dealerId: string): MergeValues {
  const values = sampleValues();
  const dealer = dealerValues(dealerProfileFrom(handle, dealerId));
  for (const key of ['dealerName', 'dealerShortName', 'dealerPhone', 'dealerAddress'] as const) {
    const value = dealer[key];
    if (value) values[key] = value;
  }
  return values;
}

/**
 * Values for `customerId` and `vehicleId`; without a vehicle, the customer's only car is used when they
 * have exactly one (with several, the single-car fields stay empty and show as missing, and 车辆列表
 * names them all, as a campaign SMS about several cars does).
 */
export async function recipientValues(
  handle: DbHandle,
  dealerId: string,
  customerId: string,
  vehicleId: string | null,
  today: string,
  options: RecipientOptions = {},
): Promise<Recipient> {
  const { db } = handle;
  const customer = await db
    .selectFrom('customer')
    .select(['name', 'gender', 'address', 'member_tier', 'mobile'])
    .where('dealer_id', '=', dealerId)
    .where('id', '=', customerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!customer) throw new ServiceError('NOT_FOUND');

  const vehicles = await db
    .selectFrom('vehicle')
    .select(['id', 'plate', 'model', 'vin', 'mileage_km'])
    .where('dealer_id', '=', dealerId)
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .$if(vehicleId !== null, (q) => q.where('id', '=', vehicleId ?? ''))
    .orderBy('purchase_date', 'desc')
    .orderBy('id')
    .limit(MAX_LISTED_CARS)
    .execute();
  if (vehicleId !== null && vehicles.length === 0) throw new ServiceError('NOT_FOUND');
  const vehicle = vehicles.length === 1 ? vehicles[0] : undefined;

  // The reminder this message most likely belongs to: the earliest open task for this car (or customer).
  const task = await db
    .selectFrom('campaign_task as t')
    .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
    .select(['t.due_on', 't.gift', 'cp.name_zh'])
    .where('t.dealer_id', '=', dealerId)
    .where('t.customer_id', '=', customerId)
    .where('t.status', '=', 'open')
    .$if(vehicle !== undefined, (q) => q.where((eb) => eb.or([eb('t.vehicle_id', '=', vehicle?.id ?? ''), eb('t.vehicle_id', 'is', null)])))
    .orderBy('t.due_on')
    .limit(1)
    .executeTakeFirst();

  const appointment = await db
    .selectFrom('appointment')
    .select(['date', 'start_time', 'advisor'])
    .where('dealer_id', '=', dealerId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'booked')
    .where('date', '>=', today)
    .$if(vehicle !== undefined, (q) => q.where('vehicle_id', '=', vehicle?.id ?? ''))
    .orderBy('date')
    .orderBy('start_time')
    .limit(1)
    .executeTakeFirst();

  const dealer = dealerProfileFrom(handle, dealerId);
  const model = vehicle ? (options.modelNamesZh?.[vehicle.model] ?? vehicle.model) : null;
  const values: MergeValues = {
    ...mergeValues(
      {
        customer_name: customer.name,
        gender: customer.gender,
        address: customer.address,
        member_tier: customer.member_tier,
        plate: vehicle?.plate ?? null,
        model,
        vin: vehicle?.vin ?? null,
        mileage_km: vehicle?.mileage_km ?? null,
        due_on: task?.due_on ?? '',
        gift: task?.gift ?? null,
        campaign_name: task?.name_zh ?? '',
      },
      dealer,
      today,
    ),
    ...(vehicle ? {} : { vehicleList: vehicleListOf(vehicles, options.modelNamesZh) }),
    appointmentDate: appointment?.date ?? null,
    appointmentTime: appointment?.start_time ?? null,
    advisorName: appointment?.advisor ?? null,
  };
  return { values, mobile: customer.mobile };
}
