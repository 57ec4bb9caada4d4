/**
 * Checks of the "restricted" Pod Security Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
 * plus this project's own rule (read-only root filesystem). Returns one message per violation.
 */
const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

export function restrictedViolations(podSpec: any): string[] {
  const out: string[] = [];
  const pod = podSpec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (podSpec[f]) out.push(`pod: ${f} must not be set`);
  for (const v of podSpec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !ALLOWED_VOLUME_TYPES.includes(type)) out.push(`volume ${v.name}: type ${type} not allowed`);
  }
  if (pod.runAsUser === 0) out.push('pod: runAsUser 0');
  const containers = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
  if (containers.length === 0) out.push('pod: no containers');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) out.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: capabilities must drop ALL`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE') out.push(`${where}: adds capability ${cap}`);
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) out.push(`${where}: runAsNonRoot must be true`);
    if (sc.runAsUser === 0) out.push(`${where}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${where}: seccompProfile must be RuntimeDefault or Localhost`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${where}: hostPort ${p.hostPort}`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem must be true`);
    const tmp = (c.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
    const tmpVolume = tmp && (podSpec.volumes ?? []).find((v: any) => v.name === tmp.name);
    if (!tmpVolume?.emptyDir) out.push(`${where}: /tmp must be an emptyDir mount`);
  }
  return out;
}
