import type { EnvelopeData } from '../../contracts/envelope';
import type { ExceptionDetails, StackFrame } from '../../contracts/exception-data';
import type { SeverityLevel } from '../../contracts/message-data';
import type { PageViewData } from '../../contracts/page-view-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { attributeValueToString } from '../common/attributes/attribute-value-to-string';
import { DEFAULT_EXCEPTION_TYPE } from '../common/envelope/create-exception-details';
import { EMPTY_MESSAGE } from '../common/envelope/empty-message';
import { MAX_PARSED_STACK_FRAMES } from '../common/envelope/parse-stack-frames';
import { isJsonObject, type JsonObject } from '../common/attributes/parse-json-object';
import { parseTimeSpan } from '../common/time/parse-time-span';
import { truncateString } from '../common/limits/truncate-string';
import { toAvailabilityFields } from './availability-data';

type Body = JsonObject;

const SEVERITY_LEVELS: readonly SeverityLevel[] = ['Verbose', 'Information', 'Warning', 'Error', 'Critical'];

const text = (value: unknown): string | undefined => {
  const s = attributeValueToString(value);
  return s === '' ? undefined : s;
};

function severityOf(value: unknown, fallback: SeverityLevel | undefined): { severityLevel?: SeverityLevel } {
  const level = SEVERITY_LEVELS.find((candidate) => candidate === value) ?? fallback;
  return level !== undefined ? { severityLevel: level } : {};
}

function stackFrame(value: unknown, index: number): StackFrame | undefined {
  if (!isJsonObject(value)) return undefined;
  const frame: StackFrame = {
    level: typeof value['level'] === 'number' && Number.isInteger(value['level']) ? value['level'] : index,
    method: truncateString(text(value['method']) ?? '<anonymous>', SERVICE_LIMITS.NAME_MAX_CHARS),
  };
  const assembly = text(value['assembly']);
  const fileName = text(value['fileName']);
  if (assembly !== undefined) frame.assembly = truncateString(assembly, SERVICE_LIMITS.NAME_MAX_CHARS);
  if (fileName !== undefined) frame.fileName = truncateString(fileName, SERVICE_LIMITS.NAME_MAX_CHARS);
  if (typeof value['line'] === 'number' && Number.isFinite(value['line'])) frame.line = value['line'];
  return frame;
}

function exceptionDetails(value: unknown): ExceptionDetails | undefined {
  if (!isJsonObject(value)) return undefined;
  const typeName = truncateString(text(value['typeName']) ?? DEFAULT_EXCEPTION_TYPE, SERVICE_LIMITS.NAME_MAX_CHARS);
  const details: ExceptionDetails = { typeName, message: truncateString(text(value['message']) ?? typeName, SERVICE_LIMITS.MESSAGE_MAX_CHARS) };
  const stack = text(value['stack']);
  const frames = Array.isArray(value['parsedStack'])
    ? value['parsedStack'].slice(0, MAX_PARSED_STACK_FRAMES).map(stackFrame).filter((f): f is StackFrame => f !== undefined)
    : [];
  if (stack !== undefined || frames.length > 0) details.hasFullStack = true;
  if (stack !== undefined) details.stack = truncateString(stack, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
  if (frames.length > 0) details.parsedStack = frames;
  return details;
}

function pageViewData(body: Body): PageViewData | undefined {
  const id = text(body['id']);
  const name = text(body['name']);
  if (id === undefined || name === undefined) return undefined;
  const data: PageViewData = { ver: 2, id: truncateString(id, SERVICE_LIMITS.ID_MAX_CHARS), name: truncateString(name, SERVICE_LIMITS.NAME_MAX_CHARS) };
  const url = text(body['url']);
  const duration = parseTimeSpan(body['duration']);
  const referredUri = text(body['referredUri']);
  if (url !== undefined) data.url = truncateString(url, SERVICE_LIMITS.URL_MAX_CHARS);
  if (duration !== undefined) data.duration = duration;
  if (referredUri !== undefined) data.referredUri = truncateString(referredUri, SERVICE_LIMITS.URL_MAX_CHARS);
  return data;
}

/**
 * A legacy `applicationinsights` 3.x shim record (`_MS.baseType` attribute, base data as the body)
 * -> envelope data without properties or measurements, or undefined when the base type is unknown
 * or the body lacks a required field (the record is then mapped as an ordinary log).
 * MessageData: `message` (`n/a` if absent), `severityLevel` (else the record's); EventData: `name`;
 * ExceptionData: `exceptions` (typeName, message, stack, parsedStack), `severityLevel`;
 * AvailabilityData: id, name, duration, success, runLocation, message; PageViewData: id, name, url,
 * duration, referredUri.
 */
export function legacyEnvelopeData(baseType: string, body: Body, recordSeverity: SeverityLevel | undefined): EnvelopeData | undefined {
  switch (baseType) {
    case 'MessageData': {
      const message = truncateString(text(body['message']) ?? EMPTY_MESSAGE, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
      return { baseType, baseData: { ver: 2, message, ...severityOf(body['severityLevel'], recordSeverity) } };
    }
    case 'EventData': {
      const name = text(body['name']);
      return name === undefined ? undefined : { baseType, baseData: { ver: 2, name: truncateString(name, SERVICE_LIMITS.EVENT_NAME_MAX_CHARS) } };
    }
    case 'ExceptionData': {
      const list = Array.isArray(body['exceptions']) ? body['exceptions'].map(exceptionDetails).filter((d): d is ExceptionDetails => d !== undefined) : [];
      return list.length === 0 ? undefined : { baseType, baseData: { ver: 2, exceptions: list, ...severityOf(body['severityLevel'], recordSeverity) } };
    }
    case 'AvailabilityData': {
      const fields = toAvailabilityFields({
        id: body['id'], name: body['name'], duration: body['duration'], success: body['success'],
        runLocation: body['runLocation'], message: body['message'],
      });
      return fields === undefined ? undefined : { baseType, baseData: fields };
    }
    case 'PageViewData': {
      const data = pageViewData(body);
      return data === undefined ? undefined : { baseType, baseData: data };
    }
    default:
      return undefined;
  }
}
