import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * NestJS `LoggerService` writing through pino, so Nest's own lines (module init, routes,
 * shutdown) are JSON like the rest. Nest passes the context as the last argument.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest calls error(message, stack?, context?).
    const context = params.length > 0 ? params[params.length - 1] : undefined;
    const stack = params.length > 1 ? params[0] : undefined;
    const fields: Record<string, unknown> = {};
    if (typeof context === 'string') fields.context = context;
    if (typeof stack === 'string') fields.stack = stack;
    if (message instanceof Error) this.logger.error({ ...fields, err: message }, message.message);
    else this.logger.error(fields, String(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    const context =
      params.length > 0 && typeof params[params.length - 1] === 'string'
        ? params[params.length - 1]
        : undefined;
    const fields = context === undefined ? {} : { context };
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
