import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { PatternsService } from './patterns.service';

/** The patterns service's Nest module: its topology provider. */
@Module({ providers: [PatternsService, { provide: STREAMS_TOPOLOGY, useExisting: PatternsService }] })
export class PatternsModule {}
