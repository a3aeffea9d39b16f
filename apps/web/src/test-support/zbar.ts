import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests only: decodes images with a real, independent QR decoder, Debian's `zbarimg`
// (zbar-tools; infra/scripts/ensure-test-tools.sh installs it).

const run = (file: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('zbarimg', ['--raw', '-q', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/**
 * Every symbol zbarimg finds in the image (PNG bytes), one string each; [] when it finds none
 * (zbarimg exits 4). Any other failure throws with zbarimg's message.
 */
export const decodeQrImage = async (image: Uint8Array): Promise<string[]> => {
  const dir = await mkdtemp(join(tmpdir(), 'traceroot-qr-'));
  try {
    const file = join(dir, 'code.png');
    await writeFile(file, image);
    const { code, stdout, stderr } = await run(file);
    if (code === 4) return [];
    if (code !== 0) throw new Error(`zbarimg exited with ${code}: ${stderr.trim()}`);
    return stdout.split('\n').filter((line) => line !== '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
