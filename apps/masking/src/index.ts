/**
 * `@gmart/masking`: the G-Mart masking service (`transactions` -> masked `purchases`).
 *
 * @packageDocumentation
 */
export { maskingConfig, type MaskingConfig } from './masking.config';
export { buildMaskingTopology, type MaskingTopics, type MaskingTopologyOptions } from './masking-topology';
export { MaskingService } from './masking.service';
export { MaskingModule } from './masking.module';
