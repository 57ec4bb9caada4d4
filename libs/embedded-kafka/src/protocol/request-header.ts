/**
 * Request header v1 (every non-flexible request):
 *
 * Request Header v1 => request_api_key request_api_version correlation_id client_id
 *   request_api_key => INT16
 *   request_api_version => INT16
 *   correlation_id => INT32
 *   client_id => NULLABLE_STRING
 *
 * Request Header v2 (every flexible request) => request_api_key request_api_version correlation_id client_id TAG_BUFFER
 *   client_id => NULLABLE_STRING (still int16-length, so any broker can read it)
 *
 * Response Header v0 => correlation_id            (non-flexible responses, and every ApiVersions response)
 * Response Header v1 => correlation_id TAG_BUFFER (flexible responses)
 */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}
