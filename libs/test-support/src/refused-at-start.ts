import type { SecuredBroker } from './secured-broker';

/** What a start gave when it did not fail: something to close (a service), or nothing (a CLI run). */
export type Started = { close(): Promise<unknown> } | void;

/** A start that fails because of its connection settings, and what must name the cause. */
interface Refusal {
  readonly what: string;
  readonly overrides: Record<string, string>;
  readonly causes: readonly RegExp[];
}

/**
 * Starts a client of `user` (a service, a CLI run) with a wrong password, then trusting a CA that
 * did not sign the broker's certificate: each `start(env)` must reject, the error's message and
 * stack plus `output()` (logs, stderr) naming the cause (the SASL authentication failure; the
 * certificate) and holding no password, neither the wrong one nor any the broker knows.
 */
export async function expectRefusedAtStart(
  secured: SecuredBroker,
  user: string,
  start: (env: Record<string, string>) => Promise<Started>,
  output: () => string = () => '',
): Promise<void> {
  const wrong = `wrong-${user}-Pw-5e7d`;
  const refusals: Refusal[] = [
    {
      what: 'a wrong password',
      overrides: { KAFKA_SASL_PASSWORD: wrong },
      causes: [/SASL|authentication/i, /invalid credentials/],
    },
    {
      what: 'an untrusted broker certificate',
      overrides: { KAFKA_SSL_CA_FILE: secured.untrustedCaFile },
      causes: [/certificate|self[- ]signed|unable to verify/i],
    },
  ];
  for (const { what, overrides, causes } of refusals) {
    const error = await start(secured.env(user, overrides)).then(
      async (started) => {
        await started?.close();
        return undefined;
      },
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    expect({ what, refused: error !== undefined }).toEqual({ what, refused: true });
    for (const cause of causes) expect(error?.message).toMatch(cause);
    const seen = `${error?.message}\n${error?.stack}\n${output()}`;
    for (const secret of [wrong, ...secured.passwords]) expect(seen).not.toContain(secret);
  }
}
