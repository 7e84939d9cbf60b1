/** The column titles above the conversation rows. */
export function ConversationHeaderRow() {
  return (
    <div class="row header-row">
      <span class="cell status-cell">Status</span>
      <span class="cell title-cell">Title</span>
      <span class="cell model-cell">Model</span>
      <span class="cell num">Steps</span>
      <span class="cell num">Tokens</span>
      <span class="cell num">Cost</span>
      <span class="cell ago-cell">Last activity</span>
    </div>
  );
}
