import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { UnavailableError } from '../errors.js';

/**
 * Proves at start-up that the journal can be read: journalctl runs and returns at least one entry.
 * In a container without the host's /etc/machine-id journalctl prints nothing and reports no error,
 * so silence is an error here.
 */
export function checkJournal(command: string, directory?: string, timeoutMs = 10_000): Promise<void> {
  const args = ['--output=json', '--lines=1', '--no-pager', ...(directory ? [`--directory=${directory}`] : [])];
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (e?.code === 'ENOENT') {
        return reject(new UnavailableError(`journal: ${command} not found (install systemd's journalctl or set journal.command)`, 'WDG-JOURNAL-006'));
      }
      if (e && !stdout.trim()) {
        return reject(new UnavailableError(`journal: ${command} failed: ${stderr.trim() || e.message} (check the journal mounts and permissions)`, 'WDG-JOURNAL-008'));
      }
      if (!stdout.trim()) {
        const hint = existsSync('/etc/machine-id')
          ? `mount the host's journal (${directory ?? '/var/log/journal and /run/log/journal'}) read-only`
          : "mount the host's /etc/machine-id, /var/log/journal and /run/log/journal read-only";
        return reject(new UnavailableError(`journal: ${command} printed no entry: the journal is empty or unreadable (${hint})`, 'WDG-JOURNAL-008'));
      }
      resolve();
    });
  });
}
