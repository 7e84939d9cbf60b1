/** The model's reasoning, folded away by default. */
export function Thinking({ text, open = false }: { text: string; open?: boolean }) {
  if (!text) return null;
  return (
    <details class="thinking" data-testid="thinking" open={open}>
      <summary>Thinking</summary>
      <pre>{text}</pre>
    </details>
  );
}
