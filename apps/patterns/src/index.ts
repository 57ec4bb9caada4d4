/**
 * `@gmart/patterns`: the G-Mart purchase-patterns service (`purchases` -> `patterns`).
 *
 * @packageDocumentation
 */
export { patternsConfig, type PatternsConfig } from './patterns.config';
export { buildPatternsTopology, type PatternsTopics } from './patterns-topology';
export { PatternsService } from './patterns.service';
export { PatternsModule } from './patterns.module';
