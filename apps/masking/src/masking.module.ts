import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { MaskingService } from './masking.service';

/** The masking service's Nest module: its topology provider. */
@Module({ providers: [MaskingService, { provide: STREAMS_TOPOLOGY, useExisting: MaskingService }] })
export class MaskingModule {}
