import { constants, existsSync, readFileSync, statSync, accessSync, type Stats } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { fail, ok, warn, type CheckLine } from './doctor-check.js';

/** The groups the unit gives the service (systemd/counterpay.service SupplementaryGroups). */
export const SERVICE_GROUPS = ['dialout', 'lp', 'input', 'gpio'] as const;

export type Access = 'r' | 'w' | 'rw';

/**
 * Is `path` there, and may we open it as `access` asks? As root every access succeeds, so then
 * the file's group and mode are compared with what the service user will have instead.
 */
export function checkDevicePath(name: string, path: string, access: Access, isRoot: boolean, hint: string): CheckLine {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return fail(name, `${path} is missing: ${hint}`);
    return fail(name, `${path}: cannot stat (${code})`);
  }
  const mode = (access.includes('r') ? constants.R_OK : 0) | (access.includes('w') ? constants.W_OK : 0);
  const what = `${access === 'r' ? 'readable' : access === 'w' ? 'writable' : 'readable and writable'}`;
  const group = groupName(stats.gid);
  if (isRoot) {
    const needed = (access.includes('r') ? 0o040 : 0) | (access.includes('w') ? 0o020 : 0);
    const serviceGroup = group !== undefined && (SERVICE_GROUPS as readonly string[]).includes(group);
    const ownedByService = userName(stats.uid) === 'counterpay';
    if (!ownedByService && !(serviceGroup && (stats.mode & needed) === needed) && (stats.mode & (needed >> 3)) !== needed >> 3) {
      return warn(name, `${path} is group ${group ?? stats.gid}, mode ${(stats.mode & 0o777).toString(8)}: the counterpay user may not open it (checked as root; give it group ${SERVICE_GROUPS.join('/')} with g+${access} by a udev rule)`);
    }
    return ok(name, `${path} present, group ${group ?? stats.gid} ${what} (checked as root)`);
  }
  try {
    accessSync(path, mode);
  } catch {
    return fail(name, `${path} is not ${what} by us (group ${group ?? stats.gid}, mode ${(stats.mode & 0o777).toString(8)}): the service user needs group ${group ?? 'of the device'}; check the udev rule and SupplementaryGroups`);
  }
  return ok(name, `${path} present, ${what}`);
}

/** A directory we write into (file: printer, file display): it exists and is writable, or can be created. */
export function checkWritableDir(name: string, dir: string): CheckLine {
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    return fail(name, `${dir}: ${probe} is not writable by us`);
  }
  return ok(name, probe === dir ? `${dir} writable` : `${dir} will be created (in ${probe})`);
}

/** A TCP printer: can we connect within the timeout? Nothing is sent. */
export function checkTcp(name: string, host: string, port: number, timeoutMs = 3000): Promise<CheckLine> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (line: CheckLine): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(timeoutMs, () => done(fail(name, `tcp://${host}:${port}: no answer in ${timeoutMs} ms: is the printer on and at that address?`)));
    socket.once('connect', () => done(ok(name, `tcp://${host}:${port} accepts connections`)));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(fail(name, `tcp://${host}:${port}: cannot connect (${error.code ?? error.message}): is the printer on and at that address?`)),
    );
  });
}

function groupName(gid: number): string | undefined {
  return lookup('/etc/group', gid);
}

function userName(uid: number): string | undefined {
  return lookup('/etc/passwd', uid);
}

function lookup(file: string, id: number): string | undefined {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [entry, , value] = line.split(':');
      if (entry !== undefined && value !== undefined && Number(value) === id) return entry;
    }
  } catch {
    // No /etc/group readable: the caller prints the numeric id instead.
  }
  return undefined;
}
