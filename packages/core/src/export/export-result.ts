import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { DeliveryReceipt } from '../delivery/delivery';
import type { ExporterError } from '../errors';

/**
 * One export's result from its requests' receipts (DESIGN.md section 5): SUCCESS only when every
 * item was accepted or queued and nothing asks to be visible; otherwise FAILED with the most
 * important error (drops before kept-but-visible failures).
 */
export function receiptsToResult(receipts: readonly DeliveryReceipt[], extraError?: ExporterError): ExportResult {
  const dropping = receipts.find((r) => r.dropped > 0 && r.error)?.error;
  const error = extraError ?? dropping ?? receipts.find((r) => r.error)?.error;
  return error ? { code: ExportResultCode.FAILED, error } : { code: ExportResultCode.SUCCESS };
}
