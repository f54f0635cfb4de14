/**
 * Text a file controls (tensor names, descriptions, metadata), made safe to print: control
 * characters other than newline and tab, and the C1 range, become `\xNN` escapes, so a name
 * cannot move the cursor, clear the screen or retitle the terminal.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
