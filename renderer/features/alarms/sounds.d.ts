/** Vite turns an imported .wav into the URL of the bundled asset. */
declare module '*.wav' {
  const url: string;
  export default url;
}
