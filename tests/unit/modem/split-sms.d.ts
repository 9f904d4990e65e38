// split-sms ships no types; only the part used as a test oracle is declared.
declare module 'split-sms' {
  export function split(text: string): { characterSet: 'GSM' | 'Unicode'; parts: Array<{ content: string; length: number; bytes: number }> };
}
