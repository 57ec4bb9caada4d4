import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { type AbstractHttpAdapter, BaseExceptionFilter } from '@nestjs/core';
import type { Logger } from 'pino';

/** The HTTP status of a client error (4xx): a Nest `HttpException` or an `http-errors` error (body-parser's 413). */
function clientStatusOf(exception: unknown): number | undefined {
  let status: unknown;
  if (exception instanceof HttpException) status = exception.getStatus();
  else if (exception !== null && typeof exception === 'object' && 'statusCode' in exception)
    status = (exception as { statusCode: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Global exception filter of a streams service: a client error (404 unknown route or customer,
 * 413 body too large, 400, ...) is answered as Nest would and logged once at `info` with the
 * status, method and path, without a stack: it is the caller's mistake, not the service's.
 * Everything else goes to Nest's default handling (logged at `error` with its stack, answered 500).
 */
@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  constructor(
    private readonly logger: Logger,
    httpAdapter: AbstractHttpAdapter,
  ) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = clientStatusOf(exception);
    if (status !== undefined && host.getType() === 'http') {
      const req = host.switchToHttp().getRequest<{ method?: string; originalUrl?: string; url?: string }>();
      this.logger.info(
        {
          status,
          method: req?.method,
          path: (req?.originalUrl ?? req?.url ?? '').split('?')[0],
          reason: exception instanceof Error ? exception.message : undefined,
        },
        'client error',
      );
      if (!(exception instanceof HttpException)) {
        // Answered as Nest answers an http-errors error, without its "unknown error" log line.
        const message = exception instanceof Error ? exception.message : 'Client error';
        super.catch(new HttpException({ statusCode: status, message }, status), host);
        return;
      }
    }
    super.catch(exception, host);
  }
}
