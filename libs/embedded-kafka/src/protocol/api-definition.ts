import type { Decoder } from './decoder';
import type { Encoder } from './encoder';
import type { RequestContext } from './request-context';

/**
 * Returned by a handler when the request must get no response at all
 * (Produce with acks=0). The connection still keeps responses in order.
 */
export const NO_RESPONSE: unique symbol = Symbol('NO_RESPONSE');

/** What a handler may return. */
export type HandlerResult<Res> = Res | typeof NO_RESPONSE | Promise<Res | typeof NO_RESPONSE>;

/**
 * Wire codec of one version of one API: `decode` reads the request body (after
 * the request header), `encode` writes the response body (after the response
 * header). Both work on the API's version-independent `Req`/`Res` shapes:
 * decoders fill fields their version lacks with Kafka's defaults, encoders write
 * only the fields their version has.
 */
export interface ApiVersionCodec<Req, Res> {
  decode(decoder: Decoder): Req;
  encode(encoder: Encoder, response: Res): void;
}

/**
 * One Kafka API: its key, the versions it serves (a dense range starting at 0),
 * and its handler. Registered in an {@link ApiRegistry}; ApiVersions advertises
 * exactly the registered ranges.
 */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  /** Kafka API key, e.g. 18 for ApiVersions. */
  readonly apiKey: number;
  /** Kafka API name, e.g. `ApiVersions` (used in metrics and logs). */
  readonly name: string;
  /** Codec per version; index = version. Must be dense from 0. */
  readonly versions: readonly ApiVersionCodec<Req, Res>[];
  /**
   * First flexible version (KIP-482), as in Kafka's message JSON `flexibleVersions`;
   * absent when every served version is non-flexible. Requests of a flexible
   * version carry request header v2 (tagged fields after the client id) and get
   * response header v1 (tagged fields after the correlation id), except
   * ApiVersions, whose response header is always v0. Codecs of flexible versions
   * read and write compact forms and the body's tagged fields themselves.
   */
  readonly flexibleFromVersion?: number;
  /** Serves one decoded request. `version` is the request's api version. */
  handle(request: Req, context: RequestContext): HandlerResult<Res>;
  /**
   * Optional reply for a request whose version is above the supported range:
   * the version whose encoder to use and the response to encode. Without it the
   * broker logs the problem and closes the connection, as Kafka does.
   */
  readonly unsupportedVersion?: {
    readonly respondWithVersion: number;
    response(context: RequestContext): Res;
  };
}

/** Whether `version` of `api` is a flexible version. */
export function isFlexible(api: ApiDefinition, version: number): boolean {
  return api.flexibleFromVersion !== undefined && version >= api.flexibleFromVersion;
}

/** API key of ApiVersions, whose responses always use response header v0. */
export const API_VERSIONS_KEY = 18;

/** Helper that only fixes the generic types of an {@link ApiDefinition}. */
export function defineApi<Req, Res>(definition: ApiDefinition<Req, Res>): ApiDefinition<Req, Res> {
  return definition;
}
