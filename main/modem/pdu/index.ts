export { countSegments, encodeSubmit, encodeRelativeValidity, segment, type EncodedPart, type Encoding, type Segmentation, type SubmitOptions } from './submit';
export {
  decodeIncoming,
  decodeSubmit,
  deliveryOutcome,
  joinParts,
  type DeliverPdu,
  type DeliveryOutcome,
  type StatusReportPdu,
  type SubmitPdu,
} from './decode';
export { buildDeliver, buildStatusReport, type DeliverOptions, type StatusReportOptions } from './build';
export { PduError, type ConcatInfo, type Payload } from './fields';
export { isGsm7Text } from './gsm7';
