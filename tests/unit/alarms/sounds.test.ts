import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The UI plays these from resources/: they must be valid PCM WAVs a browser can decode, and audible. */
describe('alarm sounds', () => {
  for (const [name, minSeconds] of [['alarm-critical.wav', 1], ['alarm-warning.wav', 0.3]] as const) {
    it(`${name} is a 16-bit mono PCM WAV of real sound`, () => {
      const wav = readFileSync(`resources/sounds/${name}`);
      expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
      expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
      expect(wav.readUInt16LE(20)).toBe(1);
      expect(wav.readUInt16LE(22)).toBe(1);
      expect(wav.readUInt16LE(34)).toBe(16);
      const rate = wav.readUInt32LE(24);
      const bytes = wav.readUInt32LE(40);
      expect(bytes).toBe(wav.length - 44);
      expect(bytes / 2 / rate).toBeGreaterThanOrEqual(minSeconds);
      let peak = 0;
      for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
      expect(peak).toBeGreaterThan(8000);
      expect(peak).toBeLessThan(32768);
    });
  }
});
