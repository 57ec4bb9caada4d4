/** Names a DSL operator's processor node (Kafka Streams' `Named`). */
export class Named {
  private constructor(readonly name: string) {}

  static as(name: string): Named {
    if (!name || !/^[a-zA-Z0-9._-]+$/.test(name)) {
      throw new Error(`Named.as: "${name}" is not a legal name (use letters, digits, ".", "_", "-")`);
    }
    return new Named(name);
  }
}
