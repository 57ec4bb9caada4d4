import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';

const EMPTY = Buffer.alloc(0);

/**
 * SaslAuthenticate (key 36), versions 0-2 (2 flexible): one SASL token of the exchange chosen by
 * SaslHandshake. A refused exchange gets SASL_AUTHENTICATION_FAILED with Kafka's message and the
 * connection is closed once the response is written, as Kafka does; a token with no exchange in
 * progress gets ILLEGAL_SASL_STATE.
 */
export const saslAuthenticateApi = defineApi<SaslAuthenticateRequest, SaslAuthenticateResponse>({
  apiKey: 36,
  name: 'SaslAuthenticate',
  flexibleFromVersion: 2,
  versions: [
    { decode: v0req.decode, encode: v0res.encode },
    { decode: v1req.decode, encode: v1res.encode },
    { decode: v2req.decode, encode: v2res.encode },
  ],
  handle(request, context) {
    const auth = context.connection.auth;
    const fail = (errorCode: number, errorMessage: string): SaslAuthenticateResponse => {
      if (auth.sasl) context.closeAfterResponse(`SASL authentication failed: ${errorMessage}`);
      return { errorCode, errorMessage, authBytes: EMPTY, sessionLifetimeMs: 0 };
    };
    if (!auth.sasl || auth.authenticated || !auth.exchange) {
      return fail(ErrorCode.ILLEGAL_SASL_STATE, 'Unexpected SaslAuthenticate request');
    }
    const step = auth.exchange.step(request.authBytes);
    if (step.kind === 'failed') {
      auth.exchange = null;
      context.services.logger.warn(
        `connection ${context.connection.id} (${context.connection.remoteAddress}): ${auth.mechanism} authentication failed: ${step.message}`,
      );
      return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, step.message);
    }
    if (step.kind === 'done') {
      auth.exchange = null;
      auth.authenticated = true;
      auth.principal = `User:${step.user}`;
    }
    return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: step.challenge, sessionLifetimeMs: 0 };
  },
});
