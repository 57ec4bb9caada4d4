/**
 * `@gmart/masking`: the G-Mart masking service (`transactions` -> masked `purchases`).
 *
 * @packageDocumentation
 */
export { maskingConfig, type MaskingConfig } from './masking.config';
export { buildMaskingTopology, type MaskingTopics } from './masking-topology';
export { MaskingDeadLetterHandler } from './masking-dead-letter-handler';
export { maskCardNumbersInPlace } from './mask-bytes-in-place';
export { maskDeadLetterRecord, maskingStreamsOverrides } from './mask-dead-letter-record';
export { MaskingService } from './masking.service';
export { MaskingModule } from './masking.module';
