/**
 * Child process for the crash test: opens the live store and starts a backup that stops making progress
 * once a few pages are written (better-sqlite3 treats a page count of 0 as "transfer nothing this step"),
 * then announces it on stdout and waits to be killed with SIGKILL.
 * argv: <live db file> <backup folder>
 */
import { openDatabase } from '../../../db/connection';
import { runBackup } from '../../../main/backup';

const [file, folder] = process.argv.slice(2);
if (!file || !folder) throw new Error('usage: backup-child <db> <folder>');
const handle = openDatabase(file);
let steps = 0;
void runBackup({
  sqlite: handle.sqlite,
  folder,
  appVersion: '1.0.0',
  seatName: 'crash',
  dealerId: null,
  trigger: 'scheduled',
  progress: () => {
    steps++;
    if (steps === 3) process.stdout.write('BACKUP-IN-PROGRESS\n');
    return steps < 3 ? 5 : 0;
  },
});
