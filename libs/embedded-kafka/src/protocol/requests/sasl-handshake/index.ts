import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';

/**
 * SaslHandshake (key 17), versions 0-1. Picks the connection's SASL mechanism: an unknown or
 * disabled one gets UNSUPPORTED_SASL_MECHANISM with the enabled list; a handshake on a listener
 * without SASL, or a second one, gets ILLEGAL_SASL_STATE, as in Kafka. v0 (tokens as raw frames,
 * before KIP-152) is answered but its raw tokens are not served: clients use v1 and SaslAuthenticate.
 */
export const saslHandshakeApi = defineApi<SaslHandshakeRequest, SaslHandshakeResponse>({
  apiKey: 17,
  name: 'SaslHandshake',
  versions: [
    { decode: v0req.decode, encode: v0res.encode },
    { decode: v1req.decode, encode: v1res.encode },
  ],
  handle(request, context) {
    const auth = context.connection.auth;
    const sasl = auth.sasl;
    if (!sasl || auth.authenticated || auth.mechanism !== null) {
      if (sasl) context.closeAfterResponse('unexpected SaslHandshake (ILLEGAL_SASL_STATE)');
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: sasl ? [...sasl.mechanisms] : [] };
    }
    const exchange = sasl.exchange(request.mechanism);
    if (!exchange) {
      context.closeAfterResponse(
        `unsupported SASL mechanism ${JSON.stringify(request.mechanism.slice(0, 64))}`,
      );
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [...sasl.mechanisms] };
    }
    auth.mechanism = request.mechanism;
    auth.exchange = exchange;
    return { errorCode: ErrorCode.NONE, mechanisms: [...sasl.mechanisms] };
  },
});
