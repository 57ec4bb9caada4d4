/** Where the record being processed came from (absent inside a punctuation). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
