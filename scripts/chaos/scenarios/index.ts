import type { Scenario } from '../scenario';
import { brokerKill } from './broker-kill';
import { fullDisk } from './full-disk';
import { mongoOutage } from './mongo-outage';
import { panScan } from './pan-scan';
import { poisonPills } from './poison-pills';
import { serviceKillLoop } from './service-kill-loop';
import { sigstopZombie } from './sigstop-zombie';
import { slowSink } from './slow-sink';

/** The suite, in the order it runs; the PAN scan comes last to cover what the others left behind. */
export const SCENARIOS: readonly Scenario[] = [
  serviceKillLoop,
  brokerKill,
  sigstopZombie,
  mongoOutage,
  slowSink,
  poisonPills,
  fullDisk,
  panScan,
];
