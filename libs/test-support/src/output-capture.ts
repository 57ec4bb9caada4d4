import { Writable } from 'node:stream';

/** A writable that keeps what is written (a service's `logDestination`), and the text so far. */
export interface OutputCapture {
  readonly destination: Writable;
  text(): string;
}

/** A fresh {@link OutputCapture}. */
export function captureOutput(): OutputCapture {
  let text = '';
  return {
    destination: new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    text: () => text,
  };
}
