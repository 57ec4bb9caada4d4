/** Counters of what the server did, for `serverStatus` and {@link EmbeddedMongo.stats}. */
export class CommandStats {
  /** Per command name: calls and error replies. */
  readonly commands = new Map<string, { total: number; failed: number }>();
  /** Connections accepted since start. */
  totalConnections = 0;
  /** Connections closed because of a malformed message. */
  rejectedConnections = 0;

  /** Records one command and whether it failed. */
  record(name: string, failed: boolean): void {
    let entry = this.commands.get(name);
    if (!entry) {
      entry = { total: 0, failed: 0 };
      this.commands.set(name, entry);
    }
    entry.total++;
    if (failed) entry.failed++;
  }

  /** MongoDB's `opcounters` shape. */
  opcounters(): Record<string, number> {
    const count = (...names: string[]): number =>
      names.reduce((n, name) => n + (this.commands.get(name)?.total ?? 0), 0);
    const all = [...this.commands.values()].reduce((n, e) => n + e.total, 0);
    const insert = count('insert');
    const query = count('find');
    const update = count('update', 'findAndModify');
    const del = count('delete');
    const getmore = count('getMore');
    return {
      insert,
      query,
      update,
      delete: del,
      getmore,
      command: all - insert - query - update - del - getmore,
    };
  }
}
