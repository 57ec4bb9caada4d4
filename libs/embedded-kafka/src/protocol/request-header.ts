/**
 * Request header v1 (every non-flexible request; flexible v2 headers start the same):
 *
 * Request Header v1 => request_api_key request_api_version correlation_id client_id
 *   request_api_key => INT16
 *   request_api_version => INT16
 *   correlation_id => INT32
 *   client_id => NULLABLE_STRING
 */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}
