import { Inject, Injectable } from '@nestjs/common';
import { STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { PatternsConfig } from './patterns.config';
import { buildPatternsTopology } from './patterns-topology';

/** Provides the patterns topology, built from the configured topic names. */
@Injectable()
export class PatternsService implements StreamsTopologyProvider<Topology> {
  constructor(@Inject(STREAMS_CONFIG) private readonly config: PatternsConfig) {}

  buildTopology(): Topology {
    return buildPatternsTopology(this.config.topics);
  }
}
