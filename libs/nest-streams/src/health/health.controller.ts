import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { StreamsStates } from '../runtime/streams-runtime';
import { StreamsStatus } from '../runtime/streams-status';

/** Body of the health endpoints. */
export interface HealthBody {
  readonly status: 'UP' | 'DOWN';
  /** The streams client state. */
  readonly state: string;
  /** When the state last changed, ISO-8601. */
  readonly since: string;
}

/**
 * `GET /health/live`: 200 while the process serves HTTP and the streams client is not in ERROR.
 * `GET /health/ready`: 200 only while the streams state is RUNNING, 503 otherwise; the body
 * carries the state either way.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly status: StreamsStatus) {}

  @Get('live')
  live(): HealthBody {
    return this.answer(this.status.state !== StreamsStates.ERROR);
  }

  @Get('ready')
  ready(): HealthBody {
    return this.answer(this.status.ready);
  }

  private answer(up: boolean): HealthBody {
    const body: HealthBody = {
      status: up ? 'UP' : 'DOWN',
      state: this.status.state,
      since: new Date(this.status.since).toISOString(),
    };
    if (!up) throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
