import { Inject, Injectable } from '@nestjs/common';
import { STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { MaskingConfig } from './masking.config';
import { buildMaskingTopology } from './masking-topology';

/** Provides the masking topology, built from the configured topic names and date window. */
@Injectable()
export class MaskingService implements StreamsTopologyProvider<Topology> {
  constructor(@Inject(STREAMS_CONFIG) private readonly config: MaskingConfig) {}

  buildTopology(): Topology {
    return buildMaskingTopology(this.config.topics, {
      purchaseDates: {
        earliest: this.config.extra.PURCHASE_DATES_FROM,
        maxAheadMs: this.config.extra.PURCHASE_DATES_MAX_AHEAD_MS,
      },
    });
  }
}
