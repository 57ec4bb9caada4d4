import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY, STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { Registry } from 'prom-client';
import { CouponJoinMetrics } from './coupon-join-metrics';
import { buildCouponJoinTopology } from './coupon-join-topology';
import type { CouponJoinConfig } from './coupon-join.config';
import { LocalCouponStores } from './local-coupon-stores';

/** Provides the coupon-join topology, wired to the local stores. */
@Injectable()
export class CouponJoinService implements StreamsTopologyProvider {
  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: CouponJoinConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly localStores: LocalCouponStores,
  ) {}

  buildTopology(): Topology {
    const { extra } = this.config;
    const metrics = new CouponJoinMetrics(this.registry, extra.JOIN_MODE);
    return buildCouponJoinTopology(
      this.config.topics,
      {
        mode: extra.JOIN_MODE,
        windowMs: extra.JOIN_WINDOW_MS,
        graceMs: extra.JOIN_GRACE_MS,
        historyLimit: extra.COUPON_HISTORY_LIMIT,
        onCoupon: (c) => metrics.record(c),
      },
      this.localStores,
    );
  }
}
