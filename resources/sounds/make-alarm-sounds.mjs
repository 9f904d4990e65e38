// Writes the alarm sounds as small 16-bit mono WAV files, so the build needs no audio tools:
//   alarm-critical.wav — two-tone siren-like beeps (960/770 Hz, about 1.2 s; the UI repeats it until acked)
//   alarm-warning.wav  — two soft beeps at 660 Hz (about 0.5 s, played once)
// Run: node resources/sounds/make-alarm-sounds.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const RATE = 22050;

/** tones: [frequencyHz or 0 for silence, seconds][]; each tone gets 8 ms fades so it never clicks. */
function render(tones, volume) {
  const samples = [];
  for (const [freq, seconds] of tones) {
    const n = Math.round(seconds * RATE);
    const fade = Math.round(0.008 * RATE);
    for (let i = 0; i < n; i++) {
      const envelope = Math.min(1, i / fade, (n - 1 - i) / fade);
      // A little third harmonic makes the beep carry over office noise without sounding harsh.
      const t = i / RATE;
      const wave = freq === 0 ? 0 : Math.sin(2 * Math.PI * freq * t) * 0.8 + Math.sin(2 * Math.PI * 3 * freq * t) * 0.2;
      samples.push(Math.round(wave * envelope * volume * 32767));
    }
  }
  return samples;
}

function wav(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const critical = render(
  [
    [960, 0.18], [770, 0.18], [960, 0.18], [770, 0.18], [0, 0.12], [960, 0.18], [770, 0.18],
  ],
  0.7,
);
const warning = render([[660, 0.14], [0, 0.1], [660, 0.14], [0, 0.1]], 0.5);
writeFileSync(join(here, 'alarm-critical.wav'), wav(critical));
writeFileSync(join(here, 'alarm-warning.wav'), wav(warning));
console.log('wrote alarm-critical.wav and alarm-warning.wav');
