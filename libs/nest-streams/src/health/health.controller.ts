import { Controller, Get, HttpException, HttpStatus, Query } from '@nestjs/common';
import { KafkaStreamsState } from '@gmart/streams';
import { rejectUnknownQuery, type RawQuery } from '../http/query-parameters';
import { StreamsStatus } from '../runtime/streams-status';

/** Body of the health endpoints. */
export interface HealthBody {
  readonly status: 'UP' | 'DOWN';
  /** The streams client state. */
  readonly state: string;
  /** When the state last changed, ISO-8601. */
  readonly since: string;
  /** Why the service failed (liveness only): streams ERROR or a dependency past its budget. */
  readonly cause?: string;
}

/**
 * `GET /health/live`: 200 while the process serves HTTP, the streams client is not in ERROR and no
 * required dependency stayed unreachable past its budget (503 with the `cause` otherwise).
 * `GET /health/ready`: 200 only while the streams state is RUNNING, 503 otherwise; the body
 * carries the state either way.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly status: StreamsStatus) {}

  @Get('live')
  live(@Query() raw: RawQuery = {}): HealthBody {
    rejectUnknownQuery(raw, []);
    const cause = this.status.failure;
    return this.answer(cause === undefined && this.status.state !== KafkaStreamsState.ERROR, cause);
  }

  @Get('ready')
  ready(@Query() raw: RawQuery = {}): HealthBody {
    rejectUnknownQuery(raw, []);
    return this.answer(this.status.ready);
  }

  private answer(up: boolean, cause?: string): HealthBody {
    const body: HealthBody = {
      status: up ? 'UP' : 'DOWN',
      state: this.status.state,
      since: new Date(this.status.since).toISOString(),
      ...(cause !== undefined ? { cause } : {}),
    };
    if (!up) throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
