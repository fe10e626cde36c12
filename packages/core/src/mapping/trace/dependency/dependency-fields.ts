import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AttributeReader } from '../../common/attributes/attribute-reader';

/** What a dependency-kind mapper decides; the rest of RemoteDependencyData is common. */
export interface DependencyFields {
  type: string;
  /** Defaults to the span name. */
  name?: string;
  data?: string;
  target?: string;
  /** Defaults to "0". */
  resultCode?: string;
  /** HTTP status code, for the `success` rule (code < 400) when the span status is unset. */
  httpStatusCode?: number;
}

/** One dependency kind: returns its fields when the span is of that kind, undefined otherwise. */
export type DependencyMapper = (span: ReadableSpan, reader: AttributeReader) => DependencyFields | undefined;
