// Vite's `?raw` suffix: the file's text as a string (used to load the shared OpenAPI corpus).
declare module '*?raw' {
  const text: string
  export default text
}
