/** Row → contract shapes for the Customer 360 channels. */
import { z } from 'zod';
import type { Customer, Vehicle } from '../../db/schema';
import type { ContactEventDto, CustomerDto, VehicleDto } from '../../preload/contract';
import { ServiceError, type CallContext, type SignedInStaff } from '../rpc';

export function signedIn(ctx: CallContext): SignedInStaff {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
}

export function toCustomerDto(row: Customer, responsibleStaff: string | null): CustomerDto {
  return {
    id: row.id,
    dmsId: row.dms_id,
    name: row.name,
    gender: row.gender,
    mobile: row.mobile,
    phone2: row.phone2,
    birthday: row.birthday,
    city: row.city,
    address: row.address,
    memberTier: row.member_tier,
    memberNo: row.member_no,
    memberSince: row.member_since,
    responsibleStaff,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toVehicleDto(row: Vehicle): VehicleDto {
  return {
    id: row.id,
    vin: row.vin,
    plate: row.plate,
    model: row.model,
    modelYear: row.model_year,
    color: row.color,
    purchaseDate: row.purchase_date,
    purchasedHere: row.purchased_here === 1,
    mileageKm: row.mileage_km,
    mileageDate: row.mileage_date,
  };
}

const detailSchema = z.record(z.string(), z.unknown());

/** Stored detail is JSON text written by many capabilities; anything that is not an object reads as null. */
export function parseDetail(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed = detailSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface ContactEventRow {
  id: string;
  kind: ContactEventDto['kind'];
  occurred_at: string;
  staff_name: string | null;
  summary: string;
  vehicle_id: string | null;
  detail: string | null;
}

export function toContactEventDto(row: ContactEventRow, sms: ContactEventDto['sms'] = null): ContactEventDto {
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurred_at,
    staffName: row.staff_name,
    summary: row.summary,
    vehicleId: row.vehicle_id,
    detail: parseDetail(row.detail),
    sms,
  };
}
